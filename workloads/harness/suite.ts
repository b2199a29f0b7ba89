// The benchmark suite: runs the selected benchmarks (`benchmark.suites`, in that order)
// `repetitions` times against the guests it is given and returns the metrics object (schema
// virt-testbed/metrics@2). It never knows the platform: it receives addresses and credentials, so
// the same metrics come out of every stack.
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { Benchmark, BenchmarkModule, Curve, MetricResult, metricId, NotMeasured, Sample, Subject, SuiteContext, Target } from "./contract";
import { BENCHMARKS } from "./benchmarks";
import { summarize } from "../guest/common/stats";
import { guestTarget, hostTarget } from "./targets";
import { cacheDir } from "../../components/lib/exec";
import { localCgroupFacts } from "../../components/lib/cgroups";
import type { BenchmarkConfig } from "../../components/config";
import type { GuestLimits } from "../../components/platforms/driver";
import type { GuestOperations } from "../../components/platforms/operations";
import type { HostMemoryScripts } from "../../components/platforms/memory";
import type { IsolationMode } from "./isolation/names";
import type { Pinning } from "../../components/neighbours";
import type { RoleName } from "../../components/roles";
import { isUnreached } from "./saturation/unreached";
import { failedRunError, keepPartialRun, SuiteStatus } from "./suiteStatus";

export const METRICS_SCHEMA = "virt-testbed/metrics@2";

export interface SuiteInput {
    stack: string;
    platform: string;
    emulated: boolean;
    /** The address of the guest that carries each role. */
    guests: Record<RoleName, string>;
    /** The vCPUs of the guest that carries each role: host-side runs use as many cores. */
    guestVcpus: Record<RoleName, number>;
    /** Ingest worker processes: the broker-only ceiling runs as many consumers. */
    ingestWorkers?: number;
    /** Secrets: they carry the passwords. */
    amqpUrl: string;
    pgUrl: string;
    dashboardUrl: string;
    sshPrivateKey: string;
    /** The SSH host key of every guest (and of the platform's host reached over SSH) by address: pinned, no other is accepted. */
    sshHostKeys: Record<string, string>;
    configHash: string;
    imageHash: string;
    /** The base image's root filesystem (host-side servers run its binaries). */
    baseRootfs: string;
    platformVersion: string;
    benchmark: BenchmarkConfig;
    /** Instance ids of the guests measured: a recreated guest makes the suite run again. */
    guestInstances: string[];
    /** The host's address on the stack's bridge: the isolation suite's host-side servers listen there. */
    hostAddress: string;
    /** Which host cores the victim, and the neighbours with the harness, run on while measured beside each other. */
    pinning: Pinning;
    /** The neighbour guests of the entitlement and isolation suites, by the mode each serves. */
    neighbours: Partial<Record<IsolationMode, NeighbourInput>>;
    /** The platform's host when it is not this machine (its address, reached over SSH), and each role's guest-process probe there. */
    platformHost?: { sshAddress?: string; guestProcessProbes?: Partial<Record<RoleName, string>> };
    /** The operations suite's guest, and its platform's steps for it (none where the platform has no operations). */
    operations?: OperationsInput;
    /** The density suite's minimal guests, and how their platform accounts the host's memory (none where it cannot). */
    density?: DensityInput;
}

export interface DensityInput {
    /** Each with a script for the platform's host that prints the bytes the host spends on it. */
    guests: (OperationsInput & { memoryBytes?: string })[];
    memory?: HostMemoryScripts;
    /** The memory of every guest of the stack, as configured (MiB): what is committed while all density guests run. */
    committedMiB: number;
}

export interface OperationsInput {
    /** The guest's name on its platform (vtb-<stack>-ops). */
    name: string;
    address: string;
    steps?: GuestOperations;
}

/** A neighbour guest: the victim's size, the entitled one under caps. */
export interface NeighbourInput {
    /** The guest's name on its platform (vtb-<stack>-<guest>). */
    name: string;
    address: string;
    vcpus: number;
    memoryMiB: number;
    limits: GuestLimits;
    /** What its platform applied, read back (appliedCpuPercent, appliedDiskReadIops, …). */
    applied: Record<string, string | number | boolean>;
    /** A script printing its CPU seconds as its host accounts them: here, or on the platform's host over SSH. */
    cpuProbe?: { script: string; sshAddress?: string };
}

export interface Metrics {
    schema: string;
    stack: string;
    platform: string;
    emulated: boolean;
    provenance: {
        host: Record<string, string | number>;
        versions: Record<string, string>;
        /** The benchmarks run, in order, with what each measures. */
        suites?: { name: string; description: string }[];
        configHash: string;
        imageHash: string;
        gitCommit: string;
        startedAt: string;
        finishedAt: string;
    };
    results: MetricResult[];
    /** Series the benchmarks traced (the saturation curve); absent in runs made before there were any. */
    curves?: Curve[];
    /** What a benchmark could not measure on this platform or host, with the reason. */
    notMeasured?: (NotMeasured & { benchmark: string })[];
    /** How each selected benchmark ended (absent in runs made before it was recorded). */
    suiteStatus?: SuiteStatus[];
}

const ROOT = path.resolve(__dirname, "..", "..");

/** This machine's cgroup hierarchy (v1, v2, hybrid): where its caps are written and read. */
function cgroupHierarchy(): string {
    try {
        return localCgroupFacts().hierarchy;
    } catch {
        return "unknown";
    }
}

function tryExec(cmd: string, args: string[]): string {
    try {
        return execFileSync(cmd, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
        return "unknown";
    }
}

/** Groups samples of all repetitions by subject and quantity and summarizes them. */
export function aggregate(benchmark: string, reps: Sample[][]): MetricResult[] {
    const byMetric = new Map<string, Sample[]>();
    for (const rep of reps)
        for (const s of rep) {
            const id = metricId(s.subject, s.quantity);
            byMetric.set(id, [...(byMetric.get(id) ?? []), s]);
        }
    return [...byMetric.entries()].map(([metric, samples]) => ({
        benchmark,
        metric,
        subject: samples[0].subject,
        quantity: samples[0].quantity,
        unit: samples[0].unit,
        better: samples[0].better,
        ...summarize(samples.map((s) => s.value)),
        samples: samples.map((s) => s.value),
        // A figure whose criterion one repetition did not meet is unreached as a whole.
        params: (samples.find(isUnreached) ?? samples[0]).params ?? {},
    }));
}

/** guest/host per repetition for every quantity measured on both sides. */
export function overheadRatios(benchmark: string, reps: Sample[][]): MetricResult[] {
    const ratio: Subject = "ratio";
    const ratios: Sample[][] = reps.map((rep) =>
        rep
            .filter((s) => s.subject === "guest")
            .flatMap((g) => {
                const h = rep.find((s) => s.subject === "host" && s.quantity === g.quantity);
                return h && h.value !== 0
                    ? [{ quantity: g.quantity, subject: ratio, value: g.value / h.value, unit: "guest/host", better: g.better, params: g.params }]
                    : [];
            }),
    );
    return aggregate(benchmark, ratios);
}

/** A benchmark's repetitions; an error ends them, and what the ones before it measured comes back with it. */
async function repeat(
    name: string,
    b: Benchmark,
    repetitions: number,
    log: (m: string) => void,
): Promise<{ reps: Sample[][]; curves: Curve[]; notMeasured: NotMeasured[]; error?: unknown }> {
    const reps: Sample[][] = [];
    let error: unknown;
    try {
        await b.prepare?.();
    } catch (e) {
        return { reps, curves: [], notMeasured: [], error: e };
    }
    try {
        for (let i = 0; i < repetitions; i++) {
            log(`${name}: repetition ${i + 1}/${repetitions}`);
            reps.push(await b.run());
        }
    } catch (e) {
        error = e;
    }
    try {
        await b.cleanup?.();
    } catch (e) {
        // The first error is the one to report; a cleanup's after it is only logged.
        if (error === undefined) error = e;
        else log(`${name}: cleanup failed too: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { reps, curves: b.curves?.() ?? [], notMeasured: b.notMeasured?.() ?? [], error };
}

/** A TCP port nothing on the host listens on now: the kernel picks it for a moment, we release it. */
function freeHostPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}

/** What the benchmarks see of this run. */
export function suiteContext(input: SuiteInput, log: (m: string) => void): SuiteContext {
    const at = (address: string, name: string) => ({
        ...guestTarget(name, { address, privateKey: input.sshPrivateKey, hostKey: input.sshHostKeys?.[address] ?? "" }),
        address,
    });
    // This machine, or the platform's own host over SSH.
    const onPlatformHost = (address: string | undefined): Target => (address ? at(address, "platform-host") : hostTarget);
    // Network tests need two guests: the visualization guest and the first other one.
    const peerAddress = Object.values(input.guests).find((a) => a !== input.guests.visualization);
    return {
        stack: input.stack,
        config: input.benchmark,
        guest: (role) => at(input.guests[role], role),
        vcpusOf: (role) => input.guestVcpus?.[role] ?? os.cpus().length,
        ingestWorkers: input.ingestWorkers ?? 2,
        peer: () => (peerAddress ? at(peerAddress, "peer") : undefined),
        host: hostTarget,
        platformHost: onPlatformHost(input.platformHost?.sshAddress),
        guestProcessProbe: (role) => input.platformHost?.guestProcessProbes?.[role],
        operationsGuest: () =>
            input.operations ? { ...at(input.operations.address, "ops"), name: input.operations.name, steps: input.operations.steps } : undefined,
        densityGuests: () =>
            input.density
                ? {
                      ...input.density,
                      guests: input.density.guests.map((g) => ({ ...at(g.address, g.name), name: g.name, steps: g.steps, memoryBytes: g.memoryBytes })),
                  }
                : undefined,
        hostAddress: input.hostAddress,
        pinning: input.pinning ?? { none: "not recorded" },
        neighbour: (mode) => {
            const n = input.neighbours?.[mode];
            return n ? { ...at(n.address, `neighbour-${mode}`), spec: n } : undefined;
        },
        neighbourCpu: async (mode) => {
            const probe = input.neighbours?.[mode]?.cpuProbe;
            if (!probe) return undefined;
            // The clock and the account are read together, where the account is kept.
            const where = onPlatformHost(probe.sshAddress);
            const [wall, cpu] = (await where.exec(`echo "$(date +%s.%N) $(${probe.script})"`)).trim().split(/\s+/).map(Number);
            if (!Number.isFinite(wall) || !Number.isFinite(cpu)) throw new Error(`the CPU account of the ${mode} neighbour could not be read`);
            return { wallSeconds: wall, cpuSeconds: cpu };
        },
        endpoints: { amqpUrl: input.amqpUrl, pgUrl: input.pgUrl, dashboardUrl: input.dashboardUrl },
        hostBundle: path.join(ROOT, "build", "guest"),
        hostScratch: path.join(cacheDir(), `fio-${input.stack}`),
        baseRootfs: input.baseRootfs,
        freeHostPort,
        log,
    };
}

/** What the benchmarks of a run measured, and how each ended. */
export interface BenchmarksRun {
    results: MetricResult[];
    curves: Curve[];
    notMeasured: (NotMeasured & { benchmark: string })[];
    status: SuiteStatus[];
    /** The benchmark that threw, if one did: the ones after it were skipped. */
    failed?: string;
}

/** Runs each module `repetitions` times in order. One that throws (a guest unreachable, a tool missing) ends the run; what the ones before it measured is kept. */
export async function runBenchmarks(modules: BenchmarkModule[], ctx: SuiteContext, repetitions: number, log: (m: string) => void): Promise<BenchmarksRun> {
    const out: BenchmarksRun = { results: [], curves: [], notMeasured: [], status: [] };
    for (const m of modules) {
        if (out.failed) {
            out.status.push({ name: m.name, status: "skipped", seconds: 0, reason: `${out.failed} failed before it` });
            continue;
        }
        const t0 = Date.now();
        const seconds = () => Math.round((Date.now() - t0) / 100) / 10;
        let run: Awaited<ReturnType<typeof repeat>>;
        try {
            run = await repeat(m.name, m.create(ctx), repetitions, log);
        } catch (e) {
            run = { reps: [], curves: [], notMeasured: [], error: e };
        }
        // The repetitions a failure cut short are kept too: they are measurements like any other.
        const measured = [...aggregate(m.name, run.reps), ...overheadRatios(m.name, run.reps)];
        out.results.push(...measured);
        out.curves.push(...run.curves);
        out.notMeasured.push(...run.notMeasured.map((n) => ({ benchmark: m.name, ...n })));
        if (run.error !== undefined) {
            out.failed = m.name;
            const why = run.error instanceof Error ? run.error.message : String(run.error);
            out.status.push({ name: m.name, status: "failed", seconds: seconds(), reason: `${why} (after ${run.reps.length} of ${repetitions} repetitions)` });
            continue;
        }
        const unmet = measured.filter(isUnreached).map((r) => `${r.metric}: ${r.params.searchStop} (${r.params.criterion})`);
        out.status.push(
            unmet.length
                ? { name: m.name, status: "unreached", seconds: seconds(), reason: unmet.join("; ") }
                : { name: m.name, status: "succeeded", seconds: seconds() },
        );
    }
    return out;
}

export async function runSuite(input: SuiteInput, log: (m: string) => void = () => undefined): Promise<Metrics> {
    const startedAt = new Date().toISOString();
    const ctx = suiteContext(input, log);
    const modules = input.benchmark.suites.map((name) => BENCHMARKS[name]);
    const { results, curves, notMeasured, status, failed } = await runBenchmarks(modules, ctx, input.benchmark.repetitions, log);
    // The guests' versions are provenance, not a measurement: a guest that no longer answers leaves them unknown.
    const guestVersions = await ctx
        .guest("visualization")
        .exec("dpkg-query -W -f '${Package}=${Version}\\n' rabbitmq-server postgresql-15 sysbench fio iperf3; echo node=$(node --version)")
        .catch(() => "guest=unknown");
    const versions: Record<string, string> = Object.fromEntries(
        guestVersions
            .trim()
            .split("\n")
            .map((l) => l.split("=") as [string, string]),
    );
    const metrics: Metrics = {
        schema: METRICS_SCHEMA,
        stack: input.stack,
        platform: input.platform,
        emulated: input.emulated,
        provenance: {
            host: {
                hostname: os.hostname(),
                kernel: os.release(),
                cpus: os.cpus().length,
                cpuModel: os.cpus()[0]?.model ?? "unknown",
                memoryMiB: Math.round(os.totalmem() / 1048576),
                cgroup: cgroupHierarchy(),
            },
            versions: { ...versions, platform: input.platformVersion, hostNode: process.version, pulumi: tryExec("pulumi", ["version"]) },
            suites: modules.map((m) => ({ name: m.name, description: m.description })),
            configHash: input.configHash,
            imageHash: input.imageHash,
            gitCommit: tryExec("git", ["rev-parse", "HEAD"]),
            startedAt,
            finishedAt: new Date().toISOString(),
        },
        results,
        curves,
        ...(notMeasured.length ? { notMeasured } : {}),
        suiteStatus: status,
    };
    if (failed) throw failedRunError(status, keepPartialRun(metrics, ROOT));
    return metrics;
}
