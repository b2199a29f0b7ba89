// The registry of benchmarks: one module each, run in the order `benchmark.suites` lists them.
// Adding one is its module here and its name in ../benchmarkNames.ts (docs/architecture.md,
// "Add a benchmark"); the compiler checks the two lists agree.
import type { BenchmarkModule } from "../contract";
import type { BenchmarkName } from "../benchmarkNames";
import { pipelineBenchmark } from "./pipeline";
import { cpuBenchmark } from "./cpu";
import { memoryBenchmark } from "./memory";
import { diskBenchmark } from "./disk";
import { networkBenchmark } from "./network";
import { dbBenchmark } from "./db";
import { saturationBenchmark } from "./saturation";
import { analogsBenchmark } from "./analogs";
import { faultsBenchmark } from "./faults";
import { entitlementBenchmark } from "./entitlement";
import { isolationBenchmark } from "./isolation";
import { securityBenchmark } from "./security";
import { operationsBenchmark } from "./operations";
import { scalingBenchmark } from "./scaling";
import { densityBenchmark } from "./density";

export const BENCHMARKS: { [N in BenchmarkName]: BenchmarkModule<N> } = {
    pipeline: pipelineBenchmark,
    saturation: saturationBenchmark,
    analogs: analogsBenchmark,
    faults: faultsBenchmark,
    cpu: cpuBenchmark,
    memory: memoryBenchmark,
    disk: diskBenchmark,
    network: networkBenchmark,
    db: dbBenchmark,
    entitlement: entitlementBenchmark,
    isolation: isolationBenchmark,
    security: securityBenchmark,
    operations: operationsBenchmark,
    scaling: scalingBenchmark,
    density: densityBenchmark,
};
