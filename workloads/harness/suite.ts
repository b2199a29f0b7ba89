// The benchmark suite: runs every benchmark `repetitions` times against the guests it is given
// and returns the metrics object (schema virt-testbed/metrics@1). It never knows the platform:
// it receives addresses and credentials, so the same metric names come out of every stack.
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { Benchmark, MetricResult, Sample } from "./contract";
import { summarize } from "../guest/common/stats";
import { cpuBenchmark, diskBenchmark, memoryBenchmark, networkBenchmark } from "./benchmarks/micro";
import { guestTarget, hostTarget } from "./targets";
import { pipelineBenchmark } from "./benchmarks/pipeline";
import type { BenchmarkConfig } from "../../components/config";

export const METRICS_SCHEMA = "virt-testbed/metrics@1";

export interface SuiteInput {
    stack: string;
    platform: string;
    emulated: boolean;
    guests: { broker: string; database: string; ingest: string; visualization: string };
    brokerPassword: string;
    databasePassword: string;
    sshPrivateKey: string;
    dashboardPort: number;
    configHash: string;
    imageHash: string;
    platformVersion: string;
    benchmark: BenchmarkConfig;
    /** Instance ids of the guests measured: a recreated guest makes the suite run again. */
    guestInstances: string[];
}

export interface Metrics {
    schema: string;
    stack: string;
    platform: string;
    emulated: boolean;
    provenance: {
        host: Record<string, string | number>;
        versions: Record<string, string>;
        configHash: string;
        imageHash: string;
        gitCommit: string;
        startedAt: string;
        finishedAt: string;
    };
    results: MetricResult[];
}

const ROOT = path.resolve(__dirname, "..", "..");

function tryExec(cmd: string, args: string[]): string {
    try {
        return execFileSync(cmd, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
        return "unknown";
    }
}

/** Groups samples of all repetitions by metric and summarizes them. */
export function aggregate(benchmark: string, reps: Sample[][]): MetricResult[] {
    const byMetric = new Map<string, Sample[]>();
    for (const rep of reps) for (const s of rep) byMetric.set(s.metric, [...(byMetric.get(s.metric) ?? []), s]);
    return [...byMetric.entries()].map(([metric, samples]) => ({
        benchmark,
        metric,
        unit: samples[0].unit,
        better: samples[0].better,
        ...summarize(samples.map((s) => s.value)),
        samples: samples.map((s) => s.value),
        params: samples[0].params ?? {},
    }));
}

/** guest/host per repetition for every metric measured on both sides. */
export function overheadRatios(benchmark: string, reps: Sample[][]): MetricResult[] {
    const ratios: Sample[][] = reps.map((rep) =>
        rep.filter((s) => s.metric.startsWith("guest.")).flatMap((g) => {
            const h = rep.find((s) => s.metric === `host.${g.metric.slice(6)}`);
            return h && h.value !== 0 ? [{ metric: `ratio.${g.metric.slice(6)}`, value: g.value / h.value, unit: "guest/host", better: g.better }] : [];
        }),
    );
    return aggregate(benchmark, ratios);
}

async function repeat(b: Benchmark, repetitions: number, log: (m: string) => void): Promise<Sample[][]> {
    await b.prepare?.();
    const reps: Sample[][] = [];
    try {
        for (let i = 0; i < repetitions; i++) {
            log(`${b.name}: repetition ${i + 1}/${repetitions}`);
            reps.push(await b.run());
        }
    } finally {
        await b.cleanup?.();
    }
    return reps;
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

export async function runSuite(input: SuiteInput, log: (m: string) => void = () => undefined): Promise<Metrics> {
    const startedAt = new Date().toISOString();
    const g = input.guests;
    const ssh = (address: string) => ({ address, privateKey: input.sshPrivateKey });
    const cfg = input.benchmark;
    const amqpUrl = `amqp://vtb:${input.brokerPassword}@${g.broker}:5672`;
    const pgUrl = `postgres://vtb:${input.databasePassword}@${g.database}:5432/sensing`;

    // Network tests need two guests: the visualization guest and the first other one.
    const peerAddress = [g.ingest, g.database, g.broker].find((a) => a !== g.visualization);
    if (!peerAddress) throw new Error("the network benchmark needs at least two guests");
    const micro = {
        guest: guestTarget("visualization", ssh(g.visualization)),
        peer: guestTarget("peer", ssh(peerAddress)),
        peerAddress,
        host: hostTarget,
        hostBundle: path.join(ROOT, "build", "guest"),
        hostScratch: path.join(process.env.VTB_CACHE || path.join(os.homedir(), ".cache", "virt-testbed"), `fio-${input.stack}`),
        freeHostPort,
        seconds: cfg.microSeconds,
    };
    const benchmarks: Benchmark[] = [
        pipelineBenchmark({
            amqpUrl, pgUrl,
            dashboardUrl: `http://${g.visualization}:${input.dashboardPort}`,
            load: { ...cfg, drainSeconds: 30 + cfg.durationSeconds },
            runPrefix: `${input.stack}-${Date.now()}`,
            ceilingMessages: cfg.ceilingMessages,
        }),
        cpuBenchmark(micro),
        memoryBenchmark(micro),
        diskBenchmark(micro),
        networkBenchmark(micro),
    ];
    const results: MetricResult[] = [];
    for (const b of benchmarks) {
        const reps = await repeat(b, cfg.repetitions, log);
        results.push(...aggregate(b.name, reps), ...overheadRatios(b.name, reps));
    }
    const guestVersions = await micro.guest.exec("dpkg-query -W -f '${Package}=${Version}\\n' rabbitmq-server postgresql-15 sysbench fio iperf3; echo node=$(node --version)");
    const versions: Record<string, string> = Object.fromEntries(guestVersions.trim().split("\n").map((l) => l.split("=") as [string, string]));
    return {
        schema: METRICS_SCHEMA,
        stack: input.stack,
        platform: input.platform,
        emulated: input.emulated,
        provenance: {
            host: { hostname: os.hostname(), kernel: os.release(), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", memoryMiB: Math.round(os.totalmem() / 1048576) },
            versions: { ...versions, platform: input.platformVersion, hostNode: process.version, pulumi: tryExec("pulumi", ["version"]) },
            configHash: input.configHash,
            imageHash: input.imageHash,
            gitCommit: tryExec("git", ["rev-parse", "HEAD"]),
            startedAt,
            finishedAt: new Date().toISOString(),
        },
        results,
    };
}
