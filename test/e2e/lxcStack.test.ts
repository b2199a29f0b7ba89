// End to end on the real machine: a temporary lxc stack goes up through the Pulumi engine,
// reports metrics, previews without changes, is destroyed, and leaves nothing on the host.
import { expect } from "chai";
import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { openStack } from "../../scripts/stack";
import { formatMetrics } from "../../scripts/formatMetrics";
import { vethName } from "../../components/platforms/lxcConfig";
import type { Metrics } from "../../workloads/suite";

const ROOT = path.resolve(__dirname, "..", "..");
const ROLES = ["broker", "database", "ingest", "visualization"];
const sh = (cmd: string) => execFileSync("sh", ["-c", cmd], { encoding: "utf8" });

/** Everything the stack could have left on the host, as a list of findings (empty = clean). */
function leftovers(stackName: string, bridge: string): string[] {
    const found: string[] = [];
    const prefix = `vtb-${stackName}-`;
    const containers = sh("lxc-ls -1 2>/dev/null || true").split("\n").filter((n) => n.startsWith(prefix));
    if (containers.length) found.push(`containers: ${containers.join(" ")}`);
    for (const role of ROLES) {
        if (fs.existsSync(`/var/lib/lxc/${prefix}${role}`)) found.push(`directory /var/lib/lxc/${prefix}${role}`);
        const veth = vethName(`${prefix}${role}`);
        if (sh(`ip -br link show dev ${veth} 2>/dev/null || true`).trim()) found.push(`veth ${veth}`);
        if (fs.existsSync(`/sys/fs/cgroup/pids/lxc.payload.${prefix}${role}`)) found.push(`cgroup of ${prefix}${role}`);
    }
    if (sh(`ip -br link show dev ${bridge} 2>/dev/null || true`).trim()) found.push(`bridge ${bridge}`);
    const mounts = fs.readFileSync("/proc/mounts", "utf8").split("\n").filter((l) => l.includes(prefix));
    if (mounts.length) found.push(`mounts: ${mounts.join("; ")}`);
    const procs = sh("ps -eo pid,args").split("\n").filter((l) => /tcpRtt\.js|iperf3 -s -1 -p 520/.test(l));
    if (procs.length) found.push(`processes: ${procs.join("; ")}`);
    return found;
}

async function removeStack(stack: Stack, name: string): Promise<void> {
    await stack.workspace.removeStack(name).catch(() => undefined);
    fs.rmSync(path.join(ROOT, `Pulumi.${name}.yaml`), { force: true });
}

describe("lxc stack end to end", function () {
    const name = `e2e${randomBytes(2).toString("hex")}`;
    const bridge = `vtb-${name}`;
    let stack: Stack;
    let metrics: Metrics;
    let rootfs: string;

    before(async function () {
        this.timeout(40 * 60_000);
        stack = await openStack(name);
        await stack.setAllConfig({
            "virt-testbed:platform": { value: "lxc" },
            "virt-testbed:network.bridge": { value: bridge },
            "virt-testbed:network.subnet": { value: "10.231.250.0/24" },
            "virt-testbed:topology.ingest.workers": { value: "2" },
            "virt-testbed:benchmark.repetitions": { value: "2" },
            "virt-testbed:benchmark.stations": { value: "4" },
            "virt-testbed:benchmark.sensorsPerStation": { value: "2" },
            "virt-testbed:benchmark.rate": { value: "200" },
            "virt-testbed:benchmark.durationSeconds": { value: "3" },
            "virt-testbed:benchmark.microSeconds": { value: "1" },
            "virt-testbed:benchmark.ceilingMessages": { value: "5000" },
        }, true);
        const t0 = Date.now();
        const res = await stack.up({ onOutput: (s) => process.stdout.write(s), color: "never" });
        console.log(`up: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        metrics = res.outputs.metrics.value;
        console.log(formatMetrics(metrics));
        rootfs = String(Object.values(res.outputs.guests.value as Record<string, any>)[0].details.baseRootfs ?? "");
    });

    after(async function () {
        this.timeout(10 * 60_000);
        if (stack) {
            await stack.destroy({ color: "never" }).catch((e) => console.error(`cleanup destroy: ${e}`));
            await removeStack(stack, name);
        }
    });

    it("exports metrics in the virt-testbed/metrics@1 schema with provenance", () => {
        expect(metrics.schema).to.equal("virt-testbed/metrics@1");
        expect(metrics).to.include({ stack: name, platform: "lxc", emulated: false });
        expect(metrics.provenance.configHash).to.match(/^[0-9a-f]{16}$/);
        expect(metrics.provenance.imageHash).to.match(/^[0-9a-f]{16}$/);
        expect(metrics.provenance.versions).to.have.property("rabbitmq-server");
        expect(Date.parse(metrics.provenance.finishedAt)).to.be.greaterThan(Date.parse(metrics.provenance.startedAt));
    });

    it("has every metric, each with unit, n and spread", () => {
        const names = metrics.results.map((r) => `${r.benchmark}.${r.metric}`);
        const expected = [
            "pipeline.throughput", "pipeline.broker_ceiling", "pipeline.throughput_of_ceiling", "pipeline.latency_p50", "pipeline.latency_p95", "pipeline.latency_p99",
            "pipeline.lost", "pipeline.duplicates", "pipeline.dashboard_latency_p50",
            "cpu.guest.events_per_s", "cpu.host.events_per_s", "cpu.ratio.events_per_s",
            "memory.guest.bandwidth", "memory.host.bandwidth",
            "disk.guest.randread_iops", "disk.guest.randwrite_iops", "disk.guest.seqread_bandwidth", "disk.host.seqwrite_bandwidth",
            "network.guest.tcp_throughput", "network.guest.tcp_rtt_p50", "network.host.tcp_rtt_p50",
        ];
        for (const e of expected) expect(names, e).to.include(e);
        for (const r of metrics.results) {
            expect(r.unit, r.metric).to.be.a("string").and.not.empty;
            expect(r.n, r.metric).to.equal(2);
            expect(r.samples, r.metric).to.have.length(2);
            expect(r.stddev, r.metric).to.be.at.least(0);
        }
    });

    it("moved observations through the pipeline without losing or duplicating any", () => {
        const get = (m: string) => metrics.results.find((r) => r.benchmark === "pipeline" && r.metric === m)!;
        expect(get("sent").min).to.be.greaterThan(0);
        expect(get("lost").samples).to.deep.equal([0, 0]);
        expect(get("duplicates").samples).to.deep.equal([0, 0]);
        expect(get("throughput").min).to.be.greaterThan(0);
    });

    it("gives an LXC guest at least 75 % of the host's CPU (a sanity bound)", () => {
        const ratio = metrics.results.find((r) => r.benchmark === "cpu" && r.metric === "ratio.events_per_s")!;
        expect(ratio.mean).to.be.at.least(0.75);
    });

    it("previews no changes after the up", async function () {
        this.timeout(5 * 60_000);
        const t0 = Date.now();
        await stack.preview({ expectNoChanges: true, color: "never" });
        console.log(`no-op preview: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });

    it("destroys everything and leaves the host clean, the base image intact", async function () {
        this.timeout(10 * 60_000);
        const t0 = Date.now();
        await stack.destroy({ color: "never" });
        console.log(`destroy: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        expect(leftovers(name, bridge)).to.deep.equal([]);
        if (rootfs) expect(fs.existsSync(path.join(rootfs, "etc", "virt-testbed-image")), rootfs).to.equal(true);
    });
});
