import type { Metrics, SuiteInput } from "../workloads/harness/suite";
import { declareKind, resourceClass } from "./lib/resourceKind";

export interface BenchmarkOutputs {
    metrics: Metrics;
    suiteSeconds: number;
}

export const benchmarkRunKind = declareKind<SuiteInput, BenchmarkOutputs>()({
    name: "benchmark",
    type: "BenchmarkRun",
    outputs: { metrics: true, suiteSeconds: true },
    replaceOn: [],
    secrets: ["amqpUrl", "pgUrl", "sshPrivateKey"],
});

/** Runs the benchmark suite (workloads/harness/suite.ts) after the deploy and whenever its inputs change; exports its metrics. */
export class BenchmarkRun extends resourceClass(benchmarkRunKind) {}
