// The contract of one benchmark, after PerfKit Benchmarker's lifecycle (Prepare / Run / Cleanup)
// and its Sample(metric, value, unit, metadata): a run returns samples; the suite does the
// repetitions, the statistics and the guest/host ratios. Each benchmark is one module in
// benchmarks/, listed once in benchmarks/index.ts (docs/architecture.md, "Add a benchmark").
import type { BenchmarkConfig } from "../../components/config";
import type { RoleName } from "../../components/roles";
import type { IsolationMode } from "./isolation/names";
import type { NeighbourInput } from "./suite";
import type { GuestOperations } from "../../components/platforms/operations";
import type { HostMemoryScripts } from "../../components/platforms/memory";
import type { Pinning } from "../../components/neighbours";

/**
 * What a figure is about: the whole system (the middleware pipeline), one guest, the bare host,
 * or guest/host per repetition (the suite derives those).
 */
export type Subject = "system" | "guest" | "host" | "ratio";

export interface Sample {
    /** What is measured, e.g. events_per_s; with the subject it names the metric. */
    quantity: string;
    subject: Subject;
    value: number;
    unit: string;
    better: "higher" | "lower";
    params?: Record<string, string | number | boolean>;
}

/** Somewhere a shell script can run: the bare host or a guest. */
export interface Target {
    name: string;
    exec(script: string, timeoutSeconds?: number): Promise<string>;
}

/** A series a benchmark traced (e.g. offered rate → achieved rate and latency), for tables and charts. */
export interface Curve {
    benchmark: string;
    name: string;
    /** The key of each point that is its x axis, and the units of the others. */
    x: string;
    units: Record<string, string>;
    points: Record<string, number | string | boolean>[];
}

/** A metric a benchmark did not measure on this platform or host, and why. */
export interface NotMeasured {
    metric: string;
    reason: string;
}

/** One benchmark's run within a suite: created per run, then prepared, run n times, cleaned up. */
export interface Benchmark {
    prepare?(): Promise<void>;
    run(): Promise<Sample[]>;
    cleanup?(): Promise<void>;
    /** Series traced over the repetitions, read after the last one. */
    curves?(): Curve[];
    /** Metrics the benchmark could not measure here, each with the reason (never a number). */
    notMeasured?(): NotMeasured[];
}

/** A guest a suite stops, starts and times, with its platform's steps for it (none where the platform has no operations). */
export type OperatedGuest = Target & { address: string; name: string; steps?: GuestOperations };

/** The guests of the stack by role, the bare host, and what a benchmark may need of the run. */
export interface SuiteContext {
    stack: string;
    config: BenchmarkConfig;
    /** The guest that carries a role, reached as root over SSH. */
    guest(role: RoleName): Target & { address: string };
    /** The vCPUs of the guest that carries a role. */
    vcpusOf(role: RoleName): number;
    /** Ingest worker processes of the stack. */
    ingestWorkers: number;
    /** Another guest than the visualization one (server side of network tests), when there is one. */
    peer(): (Target & { address: string }) | undefined;
    host: Target;
    /** The platform's host (this machine, or the nested Xen host's dom0 over SSH): where the guests' own processes run. */
    platformHost: Target;
    /** A script for the platform's host printing the PID of the process that runs a role's guest (empty where none does); undefined where the platform has no probe. */
    guestProcessProbe(role: RoleName): string | undefined;
    /** The operations suite's guest, with its platform's steps for it (run on platformHost); undefined when the stack has none. */
    operationsGuest(): OperatedGuest | undefined;
    /** The density suite's minimal guests (run on platformHost), how their platform accounts memory, and the stack's committed memory; undefined when the stack has none. */
    densityGuests(): { guests: (OperatedGuest & { memoryBytes?: string })[]; memory?: HostMemoryScripts; committedMiB: number } | undefined;
    /** Which host cores the victim, and the neighbours with the harness, run on while measured beside each other. */
    pinning: Pinning;
    /** The host's address on the stack's bridge (host-side servers that guests reach listen there). */
    hostAddress: string;
    /** A neighbour guest of the victim's size, by the isolation mode it serves; absent when the stack has none. */
    neighbour(mode: IsolationMode): (Target & { address: string; spec: NeighbourInput }) | undefined;
    /** A neighbour's CPU seconds as its host accounts them, with the host's clock; undefined where the platform keeps no account. */
    neighbourCpu(mode: IsolationMode): Promise<{ wallSeconds: number; cpuSeconds: number } | undefined>;
    endpoints: { amqpUrl: string; pgUrl: string; dashboardUrl: string };
    /** Where the host runs the guest-bundle programs from (build/guest). */
    hostBundle: string;
    /** The host's scratch directory, the stack's own so that stacks measured together never share one. */
    hostScratch: string;
    /** The base image's root filesystem: host-side servers run from it (the same binaries as the guests). */
    baseRootfs: string;
    /** A TCP port nothing on the host listens on now, for a one-shot server. */
    freeHostPort(): Promise<number>;
    log(message: string): void;
}

/** A benchmark module: its name (what `benchmark.suites` lists), what it measures, and its lifecycle. */
export interface BenchmarkModule<N extends string = string> {
    readonly name: N;
    readonly description: string;
    create(ctx: SuiteContext): Benchmark;
}

/** A metric's name in the outputs: `<subject>.<quantity>`, or the quantity alone for the system. */
export function metricId(subject: Subject, quantity: string): string {
    return subject === "system" ? quantity : `${subject}.${quantity}`;
}

export interface MetricResult {
    benchmark: string;
    /** Its name within the benchmark (metricId): the key compare and saved runs use. */
    metric: string;
    subject: Subject;
    quantity: string;
    unit: string;
    better: "higher" | "lower";
    n: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    samples: number[];
    params: Record<string, string | number | boolean>;
}
