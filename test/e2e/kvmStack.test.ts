// End to end with full virtualization: a temporary compact kvm stack (libvirt + QEMU; TCG on a
// host where KVM does not work, as here) goes up, reports metrics marked emulated as they are,
// previews without changes, is destroyed, and leaves no domain, disk, tap, bridge or QEMU.
import { expect } from "chai";
import * as fs from "fs";
import type { Metrics } from "../../workloads/harness/suite";
import { hostLinkName } from "../../components/platforms/common/link";
import {
    commonLeftovers,
    expectCapsApplied,
    expectMetricsContract,
    expectOperations,
    expectSaturation,
    SMALL_SEARCH,
    expectNoChanges,
    removeStack,
    securityFact,
    sh,
    tempStack,
    TempStack,
    timedDestroy,
    timedUp,
} from "./stackRun";
import { expectCpuStressorBesidePinnedVictim, expectEntitlement } from "./neighbourChecks";

function kvmLeftovers(t: TempStack): string[] {
    const found = commonLeftovers(t);
    const prefix = `vtb-${t.name}-`;
    const domains = sh("timeout 20 virsh -c qemu:///system list --all --name </dev/null 2>/dev/null || true")
        .split("\n")
        .filter((n) => n.startsWith(prefix));
    if (domains.length) found.push(`domains: ${domains.join(" ")}`);
    const dirs = fs.existsSync("/var/lib/virt-testbed/guests") ? fs.readdirSync("/var/lib/virt-testbed/guests").filter((d) => d.startsWith(prefix)) : [];
    if (dirs.length) found.push(`guest disks: ${dirs.join(" ")}`);
    const qemus = sh("ps -eo pid,args")
        .split("\n")
        .filter((l) => l.includes("qemu-system") && l.includes(`guest=${prefix}`));
    if (qemus.length) found.push(`qemu: ${qemus.join("; ")}`);
    const peers = fs.existsSync("/run/virt-testbed/peer") ? fs.readdirSync("/run/virt-testbed/peer").filter((d) => d.startsWith(prefix)) : [];
    if (peers.length) found.push(`migration peers: ${peers.join(" ")}`);
    return found;
}

describe("kvm stack end to end", function () {
    let t: TempStack | undefined;
    let metrics: Metrics;
    let guests: Record<string, any>;

    before(async function () {
        this.timeout(50 * 60_000);
        t = await tempStack("kvm", "10.231.251.0/24", {
            platform: "kvm",
            ...SMALL_SEARCH,
            "topology.compact": "true",
            "topology.ingest.workers": "1",
            "topology.broker.diskIops": "1000",
            "topology.database.diskIops": "1000",
            "topology.database.diskMBps": "100",
            "topology.ingest.netMbps": "300",
            "topology.visualization.netMbps": "200",
            // The fixed-rate run at the rate the saturation search confirms under TCG: no backlog to drain.
            "benchmark.rate": "40",
            // Smaller apps, so the neighbours (its size) fill and load faster.
            "topology.ingest.memoryMiB": "384",
            "topology.visualization.memoryMiB": "256",
            // A subset of the neighbour suites that fits CI's budget, in place of the memory, disk and network micro-benchmarks
            // (the lxc run measures those here; the full kvm run all of them): the CPU quota, the memory size and QEMU's
            // disk throttle under load; the CPU stressor beside the pinned victim, both modes.
            "benchmark.suites": "pipeline,saturation,cpu,entitlement,isolation,security,operations",
            // The VM operations the lxc run cannot show, short (a reboot is timed on lxc, a clone and a cold boot on xen): pause, save and restore.
            "benchmark.operations.steps": "pause,checkpoint,migrate",
            "benchmark.entitlement.seconds": "2",
            "benchmark.entitlement.diskIops": "200",
            "benchmark.entitlement.diskMBps": "0",
            "benchmark.entitlement.netMbps": "0",
            "benchmark.isolation.seconds": "2",
            "benchmark.isolation.stressors": "cpu",
            "benchmark.isolation.victims": "cpu",
            "benchmark.isolation.modes": "uncapped,entitled",
        });
        ({ metrics, guests } = await timedUp(t));
    });

    after(async function () {
        this.timeout(10 * 60_000);
        await removeStack(t);
    });

    it("exports the metrics contract: schema, provenance, every metric with unit and n, nothing lost", () => {
        expectMetricsContract(metrics, t!.name, "kvm", 2);
    });

    it("gathers the security facts of a VM: its own kernel and root; QEMU runs as its own user, sandboxed", () => {
        expect(securityFact(metrics, "shared_kernel")).to.equal(0);
        expect(securityFact(metrics, "root_is_host_root")).to.equal(0);
        expect(securityFact(metrics, "host_kernel_log_readable")).to.equal(0);
        expect(securityFact(metrics, "host_process_root")).to.equal(0);
        expect(securityFact(metrics, "host_process_sandboxed")).to.equal(1);
    });

    it("runs the saturation search with a small bound and confirms the rate each repetition, emulated", () => {
        expectSaturation(metrics, 2);
        expect(metrics.emulated).to.equal(true);
    });

    it("runs two guests (compact) and two neighbours, and says whether they ran emulated", () => {
        const list = Object.values(guests);
        expect(Object.keys(guests).map((n) => n.replace(`vtb-${t!.name}-`, ""))).to.have.members(["core", "apps", "neighbour", "neighbour-capped", "ops"]);
        for (const g of list) {
            expect(g.details.accel).to.be.oneOf(["kvm", "tcg"]);
            expect(g.emulated).to.equal(g.details.accel === "tcg");
            expect(metrics.emulated).to.equal(g.emulated);
            // Read back from the running domain: what libvirt applied is what the topology asked.
            expect(g.details.appliedVcpus).to.equal(g.vcpus);
            expect(g.details.appliedMemoryMiB).to.equal(g.memoryMiB);
            if (g.limits.cpuPercent === 0) expect(g.details.appliedVcpuQuotaUs).to.equal(g.details.appliedVcpuPeriodUs);
        }
    });

    it("applied the disk caps (QEMU) and network caps (host tap, guest NIC), read back", () => {
        expectCapsApplied(guests);
        expect(
            Object.values(guests)
                .map((g) => g.limits.netMbps)
                .sort(),
        ).to.deep.equal([0, 0, 0, 0, 500]);
    });

    it("pauses, saves, restores and live-migrates its operations domain (to a peer libvirtd and back), and leaves it running on its own tap with nothing else left", () => {
        expectOperations(metrics, 2, ["pause", "resume", "checkpoint", "restore", "migrate", "migrate_downtime"]);
        const op = (name: string) => metrics.results.find((r) => r.metric === `ops.${name}_seconds`)!;
        expect(op("migrate_downtime").max, "the domain stopped for less than the whole migration").to.be.below(op("migrate").min);
        const ops = `vtb-${t!.name}-ops`;
        expect(sh(`virsh -c qemu:///system domstate ${ops} </dev/null`).trim()).to.equal("running");
        const mark = (g: string) => /alias (\S+)/.exec(sh(`ip -o link show dev ${hostLinkName(g)}`))?.[1];
        expect(mark(ops), "back on its own tap, with our mark")
            .to.be.a("string")
            .and.equal(mark(`vtb-${t!.name}-core`));
        expect(fs.existsSync(`/run/virt-testbed/peer/${ops}`), "the peer libvirtd is stopped and its directories gone").to.equal(false);
        expect(sh("virsh -c qemu:///system list --all --name </dev/null")).not.to.contain(`${ops}-clone`);
        expect(fs.existsSync(`/var/lib/virt-testbed/guests/${ops}/checkpoint.save`), "the saved state was removed").to.equal(false);
    });

    it("gives the capped neighbour its CPU share, memory and disk IOPS under load, and isolates the pinned victim from the CPU stressor", () => {
        expectEntitlement(metrics, guests, t!.name, {
            caps: { cpuPercent: 50, diskIops: 200, diskMBps: 0, netMbps: 0 },
            enforced: ["cpu", "memory", "disk_iops"],
            uncappedCpuMin: 0.55,
        });
        expectCpuStressorBesidePinnedVictim(metrics, guests, t!.name, ["uncapped", "entitled"]);
    });

    it("previews no changes after the up", async function () {
        this.timeout(5 * 60_000);
        await expectNoChanges(t!);
    });

    it("destroys everything: no domain, disk, tap, bridge or qemu left", async function () {
        this.timeout(10 * 60_000);
        await timedDestroy(t!);
        expect(kvmLeftovers(t!)).to.deep.equal([]);
    });
});
