// The names `virt-testbed:benchmark.suites` accepts, light enough for config validation; the
// registry (benchmarks/index.ts) must implement exactly these (the compiler checks it).
export const BENCHMARK_NAMES = ["pipeline", "saturation", "analogs", "faults", "cpu", "memory", "disk", "network", "db"] as const;
export type BenchmarkName = (typeof BENCHMARK_NAMES)[number];

/** What a stack runs unless it chooses: the middleware pipeline and the overhead micro-benchmarks. */
export const DEFAULT_SUITES: readonly BenchmarkName[] = ["pipeline", "cpu", "memory", "disk", "network"];
