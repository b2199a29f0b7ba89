// End to end with para-virtualization: a temporary compact xen stack boots its own Xen host
// (Xen + dom0 under QEMU TCG), runs PV domUs in it with the middleware and the suite, previews
// without changes, is destroyed, and leaves no domU, nested host, tap, bridge or QEMU behind.
import { expect } from "chai";
import * as fs from "fs";
import { hostLinkName } from "../../components/platforms/common/link";
import type { Metrics } from "../../workloads/harness/suite";
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
import { expectCpuStressorBesidePinnedVictim } from "./neighbourChecks";

function xenLeftovers(t: TempStack): string[] {
    const found = commonLeftovers(t);
    const hostName = `vtb-${t.name}-xenhost`;
    if (fs.existsSync(`/var/lib/virt-testbed/xenhosts/${hostName}`)) found.push(`nested host directory ${hostName}`);
    const qemus = sh("ps -eo pid,args")
        .split("\n")
        .filter((l) => l.includes("qemu-system") && l.includes(hostName));
    if (qemus.length) found.push(`qemu: ${qemus.join("; ")}`);
    const tap = hostLinkName(hostName);
    if (sh(`ip -br link show dev ${tap} 2>/dev/null || true`).trim()) found.push(`tap ${tap}`);
    return found;
}

describe("xen stack end to end (nested Xen host)", function () {
    let t: TempStack | undefined;
    let metrics: Metrics;
    let guests: Record<string, any>;
    let host: any;

    before(async function () {
        this.timeout(60 * 60_000);
        t = await tempStack("xen", "10.231.253.0/24", {
            platform: "xen",
            ...SMALL_SEARCH,
            // Nested TCG sustains a few tens of obs/s: a bound it keeps up with, so the search stops at maxRate.
            "benchmark.saturation.startRate": "10",
            "benchmark.saturation.maxRate": "20",
            // The fixed-rate run at a rate nested TCG keeps up with: no backlog to drain.
            "benchmark.rate": "20",
            "topology.compact": "true",
            "topology.ingest.workers": "1",
            "topology.broker.memoryMiB": "768",
            "topology.database.memoryMiB": "512",
            "topology.ingest.memoryMiB": "384",
            "topology.visualization.memoryMiB": "256",
            "topology.ingest.netMbps": "300",
            // A subset of the neighbour suites that fits CI's budget, in place of the memory and disk micro-benchmarks:
            // one uncapped neighbour domU with the CPU stressor beside the pinned victim.
            // (The network micro-benchmark runs on lxc and kvm here: the pipeline crosses the nested bridge anyway.)
            "benchmark.suites": "pipeline,saturation,cpu,isolation,security,operations",
            // xl's pause and live migration within dom0, short: a cold boot of a domU takes a minute under nested TCG
            // (a reboot, a clone and a cold boot are timed on lxc, save and restore on kvm; the full xen run times them all).
            "benchmark.operations.steps": "pause,migrate",
            "benchmark.isolation.seconds": "2",
            "benchmark.isolation.stressors": "cpu",
            "benchmark.isolation.victims": "cpu",
            "benchmark.isolation.modes": "uncapped",
        });
        ({ metrics, guests, host } = await timedUp(t));
    });

    after(async function () {
        this.timeout(10 * 60_000);
        await removeStack(t);
    });

    it("exports the metrics contract: schema, provenance, every metric with unit and n, nothing lost", () => {
        expectMetricsContract(metrics, t!.name, "xen", 2);
    });

    it("runs the saturation search with a small bound and confirms the rate each repetition, emulated", () => {
        expectSaturation(metrics, 2);
        expect(metrics.emulated).to.equal(true);
    });

    it("boots a real Xen host, says it is nested and emulated, which scheduler runs, and that its QEMU is not root and sandboxed", () => {
        expect(host).to.include({ kind: "nested", emulated: true, accel: "tcg", xenScheduler: "credit", qemuSeccomp: "filter" });
        expect(host.qemuUser).to.match(/^libvirt-qemu \(uid \d+\)$/);
        expect(host.xenVersion).to.match(/^4\.17\./);
        expect(host.virtCaps).to.contain("pv");
    });

    it("runs two PV domUs and the neighbour with the topology's memory, vCPUs and credit cap (read back from xl)", () => {
        expect(Object.keys(guests).map((n) => n.replace(`vtb-${t!.name}-`, ""))).to.have.members(["core", "apps", "neighbour", "ops"]);
        for (const g of Object.values(guests)) {
            expect(g.emulated).to.equal(true);
            expect(g.details.guestType).to.equal("pv");
            expect(g.details.appliedVcpus).to.equal(g.vcpus);
            expect(g.details.appliedMemoryMiB).to.equal(g.memoryMiB);
            expect(g.details.appliedCreditCapPercent).to.equal(g.vcpus * 100);
            expect(g.details.appliedCreditWeight).to.equal(256);
        }
        expectCapsApplied(guests);
    });

    it("runs the CPU stressor in a neighbour domU beside the victim, pinned apart on the nested host's vCPUs", () => {
        expectCpuStressorBesidePinnedVictim(metrics, guests, t!.name, ["uncapped"]);
    });

    it("gathers the security facts of a PV domU: its own kernel and root, no dom0 process runs it", () => {
        expect(securityFact(metrics, "shared_kernel")).to.equal(0);
        expect(securityFact(metrics, "root_is_host_root")).to.equal(0);
        expect(securityFact(metrics, "host_process_root")).to.equal(undefined);
        const facts = metrics.results.find((r) => r.benchmark === "security" && r.metric === "guest.shared_kernel")!;
        expect(facts.params.hostProcess).to.match(/hypervisor runs the guest/);
    });

    it("pauses, resumes and live-migrates its operations domU through xl in dom0, with the downtime seen from the host", () => {
        expectOperations(metrics, 2, ["pause", "resume", "migrate", "migrate_downtime"]);
        const op = (name: string) => metrics.results.find((r) => r.metric === `ops.${name}_seconds`)!;
        expect(op("migrate_downtime").max, "the domain stopped for less than the whole migration").to.be.below(op("migrate").min);
        expect(metrics.results.find((r) => r.metric === "ops.resume_seconds")!.params.how).to.match(/until the guest answers SSH/);
    });

    it("previews no changes after the up", async function () {
        this.timeout(5 * 60_000);
        await expectNoChanges(t!);
    });

    it("destroys everything: no domU, nested host, tap, bridge or qemu left", async function () {
        this.timeout(10 * 60_000);
        await timedDestroy(t!);
        expect(xenLeftovers(t!)).to.deep.equal([]);
    });
});
