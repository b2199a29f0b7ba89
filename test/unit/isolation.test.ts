import { expect } from "chai";
import { degradationPct } from "../../workloads/harness/isolation/degradation";
import { FORK_MAX, STRESSOR_PLANS } from "../../workloads/harness/isolation/stressors";
import { STRESSORS } from "../../workloads/harness/isolation/names";
import { entitlementVerdict } from "../../workloads/harness/entitlement/verdict";
import { hostPathScript } from "../../workloads/harness/hostPath";

const site = { vcpus: 2, memoryMiB: 512, server: { address: "10.231.1.1", port: 40000 }, boundSeconds: 700 };

describe("isolation stressors", () => {
    it("has a plan for each of the six stressors of the Isolation Benchmark Suite", () => {
        expect(Object.keys(STRESSOR_PLANS)).to.have.members([...STRESSORS]);
        expect(STRESSORS).to.have.length(6);
    });
    it("bounds every stress-ng stressor by its own timeout, with one worker per vCPU", () => {
        for (const name of ["cpu", "memory", "fork", "disk"] as const)
            expect(STRESSOR_PLANS[name].command(site), name).to.match(/ --timeout 700s --metrics-brief$/);
        expect(STRESSOR_PLANS.cpu.command(site)).to.contain("--cpu 2 ");
    });
    it("keeps the fork bomb bounded and the memory stressor within the guest's memory", () => {
        expect(STRESSOR_PLANS.fork.command(site)).to.contain(`--fork 2 --fork-max ${FORK_MAX}`);
        expect(FORK_MAX).to.be.at.most(64);
        // Half of 512 MiB over two workers.
        expect(STRESSOR_PLANS.memory.command(site)).to.contain("--vm 2 --vm-bytes 128M");
    });
    it("writes to disk directly, past the page cache", () => {
        expect(STRESSOR_PLANS.disk.command(site)).to.contain("--hdd-opts direct");
    });
    it("sends to and receives from the host's server on the bridge, and only the network stressors need it", () => {
        expect(STRESSOR_PLANS.netSend.command(site)).to.equal("iperf3 -c 10.231.1.1 -p 40000 -t 700 -J");
        expect(STRESSOR_PLANS.netReceive.command(site)).to.equal("iperf3 -c 10.231.1.1 -p 40000 -t 700 -J -R");
        expect(STRESSORS.filter((s) => STRESSOR_PLANS[s].needsServer)).to.deep.equal(["netSend", "netReceive"]);
    });
});

describe("isolation degradation", () => {
    it("is positive when the victim got worse, whichever way its metric is better", () => {
        expect(degradationPct(1000, 400, "higher")).to.equal(60);
        expect(degradationPct(100, 309, "lower")).to.be.closeTo(209, 1e-9);
        expect(degradationPct(1000, 1100, "higher")).to.equal(-10);
    });
    it("refuses a measurement alone that cannot be compared with", () => {
        expect(() => degradationPct(0, 5, "higher")).to.throw(/must be positive/);
    });
});

describe("entitlement verdict", () => {
    it("is the ratio of what the guest got to what it asked for, enforced within 10 %", () => {
        expect(entitlementVerdict(0.5, 0.49, 50, 1.0)).to.deep.equal({ ratio: 0.98, enforced: true, beyondCap: true });
    });
    it("says a cap the guest exceeded is not enforced, and by how much", () => {
        const v = entitlementVerdict(200, 900, 200, 900);
        expect(v).to.include({ ratio: 4.5, enforced: false, beyondCap: true });
        expect(v.reason).to.match(/4\.50 × its cap/);
    });
    it("gives no ratio for a cap the platform did not apply, only its reason", () => {
        const v = entitlementVerdict(500, 501, "not applied: Xen's block backend has no throttle", 2400);
        expect(v.ratio).to.equal(undefined);
        expect(v).to.include({ enforced: false, reason: "not applied: Xen's block backend has no throttle", beyondCap: true });
    });
    it("says when the load did not go beyond the cap on the uncapped twin (the cap was not tested)", () => {
        expect(entitlementVerdict(200, 150, 200, 160).beyondCap).to.equal(false);
        expect(entitlementVerdict(200, 150, 200).beyondCap).to.equal(undefined);
    });
});

describe("the bare host's network path", () => {
    it("joins two namespaces of its own by veths to a bridge in a third, touching no host interface", () => {
        const script = hostPathScript({ client: "vtb-s-hp1-c", server: "vtb-s-hp1-s", bridge: "vtb-s-hp1-br" });
        expect(script.split("\n").slice(0, 3)).to.deep.equal(["ip netns add vtb-s-hp1-c", "ip netns add vtb-s-hp1-s", "ip netns add vtb-s-hp1-br"]);
        expect(script).to.contain("ip link add eth0 netns vtb-s-hp1-c type veth peer name p1 netns vtb-s-hp1-br");
        expect(script).to.contain("ip -n vtb-s-hp1-br link set p2 master br0 up");
        // Every command names one of the run's namespaces (-n NS, netns NS or netns add).
        for (const line of script.split("\n")) expect(line, line).to.match(/^ip (netns add |-n vtb-s-hp1-|link add eth0 netns vtb-s-hp1-)/);
    });
});
