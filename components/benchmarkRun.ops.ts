import type { ImplementationOf } from "./lib/resourceKind";
import type { BenchmarkOutputs, benchmarkRunKind } from "./benchmarkRun";
import { runSuite, SuiteInput } from "../workloads/harness/suite";

async function measure(inputs: SuiteInput): Promise<BenchmarkOutputs> {
    const start = Date.now();
    const metrics = await runSuite(inputs, (m) => process.stderr.write(`${m}\n`));
    return { metrics, suiteSeconds: (Date.now() - start) / 1000 };
}

/** The post-deploy benchmark: runs the suite at create and after every change of its inputs. */
export const benchmarkOps: ImplementationOf<typeof benchmarkRunKind> = {
    async create(inputs) {
        return { id: `benchmark-${inputs.stack}`, outs: await measure(inputs) };
    },
    async update(_id, _olds, news) {
        return { outs: await measure(news) };
    },
    async delete() {
        // Measurements leave nothing behind: servers are one-shot, scratch files are removed.
    },
};
