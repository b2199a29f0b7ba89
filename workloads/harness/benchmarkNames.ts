// The names `virt-testbed:benchmark.suites` accepts, light enough for config validation; the
// registry (benchmarks/index.ts) must implement exactly these (the compiler checks it).
export const BENCHMARK_NAMES = [
    "pipeline",
    "saturation",
    "analogs",
    "faults",
    "cpu",
    "memory",
    "disk",
    "network",
    "db",
    "entitlement",
    "isolation",
    "security",
    "operations",
    "scaling",
    "density",
] as const;
export type BenchmarkName = (typeof BENCHMARK_NAMES)[number];

/**
 * What a stack runs unless it chooses: the middleware at its limit, the overhead micro-benchmarks
 * and the security facts (seconds) (an lxc stack's `make up` stays within 10 minutes on 2 cores). The fixed-rate pipeline, the
 * thesis's analogs, the fault run, pgbench, entitlement and isolation (which add neighbour guests)
 * are there to select.
 */
export const DEFAULT_SUITES: readonly BenchmarkName[] = ["saturation", "cpu", "memory", "disk", "network", "security"];
