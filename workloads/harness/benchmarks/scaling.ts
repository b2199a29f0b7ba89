// Worker scaling: the pipeline's maximum sustainable throughput with 1, 2, 4… ingest workers
// (`benchmark.scaling.workers`), each found by the saturation search (the first repetition searches,
// later ones confirm), and the speed-up over the fewest workers in the same repetition. The ingest
// guest runs the configured number of workers again afterwards.
import type { Benchmark, BenchmarkModule, Curve, Sample, SuiteContext } from "../contract";
import { saturationRun } from "./saturation";
import { restartIngestWorkers } from "../../../components/roles/ingest";
import { isUnreached } from "../saturation/unreached";

/** How long workers may take to consume: node starts slowly under emulation. */
const READY_SECONDS = 600;

export function scalingRun(ctx: SuiteContext): Benchmark {
    const counts = [...ctx.config.scaling.workers].sort((a, b) => a - b);
    const runs = new Map(counts.map((k) => [k, saturationRun({ ...ctx, ingestWorkers: k })]));
    const ingest = ctx.guest("ingest");
    const workers = (k: number) => ingest.exec(restartIngestWorkers(k, READY_SECONDS), READY_SECONDS + 60);
    return {
        async run() {
            const samples: Sample[] = [];
            const throughput = new Map<number, number>();
            for (const k of counts) {
                ctx.log(`scaling: ${k} ingest worker(s)`);
                await workers(k);
                const found = (await runs.get(k)!.run()).find((s) => s.quantity === "saturation_throughput");
                // None: this count's criterion was not met in an earlier repetition (its search said so then).
                if (!found) continue;
                // An unreached figure is reported, but no speed-up is computed from it.
                if (!isUnreached(found)) throughput.set(k, found.value);
                samples.push({
                    ...found,
                    quantity: `workers_${k}.saturation_throughput`,
                    params: { ...found.params, workers: k, ingestVcpus: ctx.vcpusOf("ingest") },
                });
            }
            const base = throughput.get(counts[0]);
            for (const k of counts.slice(1).filter((k) => base !== undefined && throughput.has(k)))
                samples.push({
                    quantity: `workers_${k}.speedup`,
                    subject: "system",
                    value: throughput.get(k)! / base!,
                    unit: `× ${counts[0]} worker(s)`,
                    better: "higher",
                    params: { workers: k, over: counts[0] },
                });
            return samples;
        },
        async cleanup() {
            await workers(ctx.ingestWorkers);
        },
        curves: (): Curve[] =>
            counts.flatMap((k) => runs.get(k)!.curves!().map((c) => ({ ...c, benchmark: "scaling", name: `${c.name}, ${k} ingest worker(s)` }))),
    };
}

export const scalingBenchmark: BenchmarkModule<"scaling"> = {
    name: "scaling",
    description:
        "the pipeline's maximum sustainable throughput with each number of ingest workers in benchmark.scaling.workers (the saturation search for each), and the speed-up over the fewest",
    create: scalingRun,
};
