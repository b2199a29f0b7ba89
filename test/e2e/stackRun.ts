// Shared steps of the end-to-end stack tests: a temporary stack with short benchmark settings,
// up through the real engine, checks on the metrics contract, and the clean-up.
import { expect } from "chai";
import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { openStack } from "../../scripts/stack";
import { formatMetrics } from "../../scripts/formatMetrics";
import type { Metrics } from "../../workloads/harness/suite";

const ROOT = path.resolve(__dirname, "..", "..");
export const sh = (cmd: string) => execFileSync("sh", ["-c", cmd], { encoding: "utf8" });

export interface TempStack {
    name: string;
    bridge: string;
    stack: Stack;
}

/** A new stack named <prefix><hex> on its own bridge and subnet, with short benchmark settings. */
export async function tempStack(prefix: string, subnet: string, extra: Record<string, string>): Promise<TempStack> {
    const name = `${prefix}${randomBytes(2).toString("hex")}`;
    const bridge = `vtb-${name}`;
    const stack = await openStack(name);
    const config: ConfigMap = {
        "virt-testbed:network.bridge": { value: bridge },
        "virt-testbed:network.subnet": { value: subnet },
        // The suites that ran before the saturation search became the default; tests add what they exercise.
        "virt-testbed:benchmark.suites": { value: "pipeline,cpu,memory,disk,network" },
        "virt-testbed:benchmark.repetitions": { value: "2" },
        "virt-testbed:benchmark.stations": { value: "4" },
        "virt-testbed:benchmark.sensorsPerStation": { value: "2" },
        "virt-testbed:benchmark.rate": { value: "200" },
        "virt-testbed:benchmark.durationSeconds": { value: "3" },
        "virt-testbed:benchmark.microSeconds": { value: "1" },
        "virt-testbed:benchmark.ceilingSeconds": { value: "5" },
        "virt-testbed:benchmark.analogObservations": { value: "5000" },
        "virt-testbed:benchmark.saturation.stepSeconds": { value: "3" },
        "virt-testbed:benchmark.saturation.warmupSeconds": { value: "2" },
    };
    for (const [k, v] of Object.entries(extra)) config[`virt-testbed:${k}`] = { value: v };
    await stack.setAllConfig(config, true);
    return { name, bridge, stack };
}

export async function timedUp(t: TempStack): Promise<{ metrics: Metrics; guests: Record<string, any>; host: any; dashboard: string }> {
    const t0 = Date.now();
    const res = await t.stack.up({ onOutput: (s) => process.stdout.write(s), color: "never" });
    console.log(`up: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const metrics = res.outputs.metrics.value as Metrics;
    console.log(formatMetrics(metrics));
    return { metrics, guests: res.outputs.guests.value, host: res.outputs.host?.value, dashboard: res.outputs.endpoints.value.dashboard };
}

/** Destroys (if anything is left) and removes the stack and its Pulumi.<stack>.yaml. */
export async function removeStack(t: TempStack | undefined): Promise<void> {
    if (!t) return;
    await t.stack.destroy({ color: "never" }).catch((e) => console.error(`cleanup destroy: ${e}`));
    await t.stack.workspace.removeStack(t.name).catch(() => undefined);
    fs.rmSync(path.join(ROOT, `Pulumi.${t.name}.yaml`), { force: true });
}

/**
 * A saturation search with a small bound, for emulated stacks: two steps of 3 s, then the
 * confirmations; the p99 bound fits a guest under (nested) TCG.
 */
export const SMALL_SEARCH = {
    "benchmark.suites": "pipeline,saturation,cpu,memory,disk,network",
    "benchmark.saturation.startRate": "20",
    "benchmark.saturation.maxRate": "40",
    "benchmark.saturation.p99BoundMs": "20000",
};

/** The search ran and confirmed a rate each repetition: the found rate, its curve, the ceiling share and the CPU per component. */
export function expectSaturation(metrics: Metrics, repetitions: number): void {
    const get = (m: string) => metrics.results.find((r) => r.benchmark === "saturation" && r.metric === m);
    expect(get("saturation_throughput")!.samples).to.have.length(repetitions);
    expect(get("saturation_throughput")!.min).to.be.greaterThan(0);
    expect(get("saturation_of_ceiling")!.min).to.be.greaterThan(0);
    expect(get("lost_at_saturation")!.samples).to.deep.equal(new Array(repetitions).fill(0));
    for (const c of ["broker", "database", "ingest", "generator"]) expect(get(`cpu_per_obs_${c}`)!.min, c).to.be.greaterThan(0);
    const curve = metrics.curves!.find((c) => c.benchmark === "saturation")!;
    const phases = curve.points.map((p) => p.phase);
    expect(phases).to.include.members(["search", "confirm", "50%", "90%"]);
    expect(curve.points.filter((p) => p.phase === "confirm" && p.pass)).to.have.length(repetitions);
}

export const EXPECTED_METRICS = [
    "pipeline.throughput",
    "pipeline.broker_ceiling",
    "pipeline.throughput_of_ceiling",
    "pipeline.latency_p50",
    "pipeline.latency_p95",
    "pipeline.latency_p99",
    "pipeline.lost",
    "pipeline.duplicates",
    "pipeline.dashboard_latency_p50",
    "cpu.guest.events_per_s",
    "cpu.host.events_per_s",
    "cpu.ratio.events_per_s",
    "memory.guest.bandwidth",
    "memory.host.bandwidth",
    "disk.guest.randread_iops",
    "disk.guest.randwrite_iops",
    "disk.guest.seqread_bandwidth",
    "disk.host.seqwrite_bandwidth",
    "network.guest.tcp_throughput",
    "network.guest.tcp_rtt_p50",
    "network.host.tcp_rtt_p50",
    "security.guest.shared_kernel",
    "security.guest.root_is_host_root",
    "security.guest.init_capabilities",
    "security.guest.listening_sockets",
];

/** A security fact of the stack (0/1 or a count) as its metrics report it; undefined when absent. */
export function securityFact(metrics: Metrics, quantity: string): number | undefined {
    return metrics.results.find((r) => r.benchmark === "security" && r.metric === `guest.${quantity}`)?.mean;
}

/**
 * The operations suite's times (n = repetitions, each above zero) for the operations `timed`; each
 * one in `cannotHere` reported instead with a reason that matches, and no figure.
 */
export function expectOperations(metrics: Metrics, repetitions: number, timed: string[], cannotHere: Record<string, RegExp> = {}): void {
    const op = (name: string) => metrics.results.find((r) => r.benchmark === "operations" && r.metric === `ops.${name}_seconds`);
    for (const name of timed) {
        expect(op(name), name).to.not.equal(undefined);
        expect(op(name)!.samples, name).to.have.length(repetitions);
        expect(op(name)!.min, name).to.be.greaterThan(0);
        expect(op(name)!.unit, name).to.equal("s");
    }
    for (const [name, why] of Object.entries(cannotHere)) {
        expect(op(name), `${name} has no figure`).to.equal(undefined);
        const reported = metrics.notMeasured?.find((n) => n.benchmark === "operations" && n.metric === `ops.${name}_seconds`);
        expect(reported?.reason, `${name}: why not`).to.match(why);
    }
}

/** The contract every stack's metrics meet, whatever the platform. */
export function expectMetricsContract(metrics: Metrics, stack: string, platform: string, repetitions: number): void {
    expect(metrics.schema).to.equal("virt-testbed/metrics@2");
    expect(metrics).to.include({ stack, platform });
    expect(metrics.emulated).to.be.a("boolean");
    expect(metrics.provenance.configHash).to.match(/^[0-9a-f]{16}$/);
    expect(metrics.provenance.imageHash).to.match(/^[0-9a-f]{16}$/);
    expect(metrics.provenance.versions).to.have.property("rabbitmq-server");
    expect(Date.parse(metrics.provenance.finishedAt)).to.be.greaterThan(Date.parse(metrics.provenance.startedAt));
    const names = metrics.results.map((r) => `${r.benchmark}.${r.metric}`);
    const selected = metrics.provenance.suites!.map((s) => s.name);
    // Every selected benchmark ran to its criterion: none failed, skipped or unreached.
    expect(metrics.suiteStatus!.map((s) => `${s.name}: ${s.status}`)).to.deep.equal(selected.map((s) => `${s}: succeeded`));
    for (const e of EXPECTED_METRICS.filter((m) => selected.includes(m.split(".")[0]))) expect(names, e).to.include(e);
    for (const r of metrics.results) {
        expect(r.unit, r.metric).to.be.a("string").and.not.empty;
        expect(r.n, r.metric).to.equal(repetitions);
        expect(r.samples, r.metric).to.have.length(repetitions);
        expect(r.stddev, r.metric).to.be.at.least(0);
    }
    const get = (m: string) => metrics.results.find((r) => r.benchmark === "pipeline" && r.metric === m)!;
    expect(get("sent").min).to.be.greaterThan(0);
    expect(get("lost").samples).to.deep.equal(new Array(repetitions).fill(0));
    expect(get("duplicates").samples).to.deep.equal(new Array(repetitions).fill(0));
    expect(get("throughput").min).to.be.greaterThan(0);
}

/** Every guest's disk and network caps, read back from the platform, are what its roles asked for (but those of `except`). */
export function expectCapsApplied(guests: Record<string, any>, except: string[] = []): void {
    for (const [name, g] of Object.entries(guests).filter(([n]) => !except.includes(n))) {
        const d = g.details;
        expect([d.appliedDiskReadIops, d.appliedDiskWriteIops], `${name} disk IOPS`).to.deep.equal([g.limits.diskIops, g.limits.diskIops]);
        expect([d.appliedDiskReadMBps, d.appliedDiskWriteMBps], `${name} disk MB/s`).to.deep.equal([g.limits.diskMBps, g.limits.diskMBps]);
        expect([d.appliedNetInMbps, d.appliedNetOutMbps], `${name} network Mbit/s`).to.deep.equal([g.limits.netMbps, g.limits.netMbps]);
    }
}

export async function expectNoChanges(t: TempStack): Promise<void> {
    const t0 = Date.now();
    await t.stack.preview({ expectNoChanges: true, color: "never" });
    console.log(`no-op preview: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

export async function timedDestroy(t: TempStack): Promise<void> {
    const t0 = Date.now();
    await t.stack.destroy({ color: "never" });
    console.log(`destroy: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Findings common to all platforms: the bridge, mounts and probe processes. */
export function commonLeftovers(t: TempStack): string[] {
    const found: string[] = [];
    if (sh(`ip -br link show dev ${t.bridge} 2>/dev/null || true`).trim()) found.push(`bridge ${t.bridge}`);
    const mounts = fs
        .readFileSync("/proc/mounts", "utf8")
        .split("\n")
        .filter((l) => l.includes(`vtb-${t.name}-`));
    if (mounts.length) found.push(`mounts: ${mounts.join("; ")}`);
    const procs = sh("ps -eo pid,args")
        .split("\n")
        .filter((l) => /tcpRtt\.js|iperf3 -s -1 |stress-ng/.test(l));
    if (procs.length) found.push(`processes: ${procs.join("; ")}`);
    const namespaces = sh("ip netns list")
        .split("\n")
        .map((l) => l.split(" ")[0])
        .filter((n) => n.startsWith(`vtb-${t.name}-`));
    if (namespaces.length) found.push(`network namespaces: ${namespaces.join(" ")}`);
    return found;
}
