import { expect } from "chai";
import { parseConfig } from "../../components/config";
import { allGuests, neighbours, pinning } from "../../components/neighbours";

const stack = (benchmark: Record<string, unknown>, topology: Record<string, unknown> = {}) => parseConfig({ platform: "lxc", benchmark, topology });

describe("neighbour guests", () => {
    it("are made only when the entitlement or isolation suite runs", () => {
        expect(neighbours(stack({ suites: ["cpu", "saturation"] }))).to.deep.equal([]);
        expect(allGuests(stack({}))).to.have.length(4);
    });
    it("take the measured guest's size; the capped one carries the entitlement caps, the other none", () => {
        const [uncapped, capped] = neighbours(
            stack({ suites: ["entitlement"], entitlement: { cpuPercent: 40, netMbps: 100 } }, { visualization: { vcpus: 2, memoryMiB: 768 } }),
        );
        expect(uncapped).to.deep.include({ name: "neighbour", mode: "uncapped", roles: [], vcpus: 2, memoryMiB: 768 });
        expect(uncapped.limits).to.deep.equal({ cpuPercent: 0, diskIops: 0, diskMBps: 0, netMbps: 0 });
        expect(capped).to.deep.include({ name: "neighbour-capped", mode: "entitled", vcpus: 2, memoryMiB: 768 });
        expect(capped.limits).to.deep.equal({ cpuPercent: 40, diskIops: 500, diskMBps: 50, netMbps: 100 });
    });
    it("follow the isolation modes when only isolation runs", () => {
        expect(neighbours(stack({ suites: ["isolation"], isolation: { modes: ["uncapped"] } })).map((n) => n.name)).to.deep.equal(["neighbour"]);
        expect(neighbours(stack({ suites: ["isolation"], isolation: { modes: "entitled" } })).map((n) => n.name)).to.deep.equal(["neighbour-capped"]);
    });
    it("refuse a CPU cap the neighbour's vCPUs cannot use, naming the setting", () => {
        expect(() => neighbours(stack({ suites: ["entitlement"], entitlement: { cpuPercent: 150 } }))).to.throw(
            /virt-testbed:benchmark.entitlement.cpuPercent: \(150 % of one core\) is more than the neighbour's 1 vCPU.*at most 100/,
        );
    });
});

describe("pinning beside a neighbour", () => {
    it("puts the measured guest alone on the last cores, the neighbours (and the harness) on the others", () => {
        const config = stack({ suites: ["isolation"] }, { visualization: { vcpus: 2 } });
        expect(pinning(config, 8)).to.deep.equal({ victim: "6-7", others: "0-5" });
        const guests = allGuests(config, pinning(config, 2 + 1));
        expect(guests.find((g) => g.roles.includes("visualization"))!.cpuset).to.equal("1-2");
        expect(guests.filter((g) => g.name.startsWith("neighbour")).map((g) => g.cpuset)).to.deep.equal(["0", "0"]);
        expect(guests.filter((g) => g.roles.includes("broker")).map((g) => g.cpuset)).to.deep.equal([undefined]);
    });
    it("pins nothing without a neighbour, or when the measured guest needs every core, and says why", () => {
        expect(pinning(stack({ suites: ["cpu"] }), 8)).to.deep.equal({ none: "no neighbour guest" });
        expect(pinning(stack({ suites: ["entitlement"] }, { visualization: { vcpus: 2 } }), 2)).to.deep.equal({
            none: "the measured guest's 2 vCPU(s) need every one of the host's 2 core(s)",
        });
        expect(allGuests(stack({ suites: ["entitlement"] }), { none: "x" }).every((g) => g.cpuset === undefined)).to.equal(true);
    });
});

describe("isolation and entitlement settings", () => {
    it("default to all six stressors in both modes", () => {
        const b = stack({}).benchmark;
        expect(b.isolation).to.deep.equal({
            stressors: ["cpu", "memory", "fork", "disk", "netSend", "netReceive"],
            modes: ["uncapped", "entitled"],
            victims: ["cpu", "disk", "net_throughput", "net_rtt", "pipeline_p99"],
            seconds: 5,
        });
        expect(b.entitlement.seconds).to.equal(5);
    });
    it("refuse an unknown stressor or mode, and an unknown key, naming the setting and what is known", () => {
        expect(() => stack({ isolation: { stressors: ["cpu", "forkbomb"] } })).to.throw(
            /virt-testbed:benchmark.isolation.stressors: has an unknown name "forkbomb".*known: cpu, memory, fork, disk, netSend, netReceive/,
        );
        expect(() => stack({ isolation: { modes: [] } })).to.throw(/benchmark.isolation.modes: must be a non-empty list/);
        expect(() => stack({ entitlement: { cpus: 1 } })).to.throw(/benchmark.entitlement.cpus: is not a known setting/);
    });
});
