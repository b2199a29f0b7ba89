import { expect } from "chai";
import { parseConfig, UNLIMITED } from "../../components/config";
import { guestOf, placement } from "../../components/roles/placement";

describe("role placement", () => {
    it("puts each role in its own guest by default", () => {
        const p = placement(parseConfig({ platform: "lxc" }).topology);
        expect(p.map((g) => [g.name, g.roles])).to.deep.equal([
            ["broker", ["broker"]],
            ["database", ["database"]],
            ["ingest", ["ingest"]],
            ["visualization", ["visualization"]],
        ]);
    });
    it("compacts to two guests sized by their roles", () => {
        const t = parseConfig({ platform: "kvm", topology: { compact: true, broker: { vcpus: 2, memoryMiB: 768 } } }).topology;
        const p = placement(t);
        expect(p).to.deep.equal([
            { name: "core", roles: ["broker", "database"], vcpus: 2, memoryMiB: 768 + 1024, limits: UNLIMITED },
            { name: "apps", roles: ["ingest", "visualization"], vcpus: 1, memoryMiB: 512 + 512, limits: UNLIMITED },
        ]);
        expect(guestOf(p, "database").name).to.equal("core");
        expect(guestOf(p, "visualization").name).to.equal("apps");
    });
    it("gives a shared guest the sum of its roles' caps, or none if one role is uncapped", () => {
        const t = parseConfig({
            platform: "kvm",
            topology: { compact: true, broker: { netMbps: 100, diskIops: 200 }, database: { netMbps: 50 }, ingest: { diskMBps: 10 } },
        }).topology;
        const [core, apps] = placement(t);
        expect(core.limits).to.deep.equal({ cpuPercent: 0, diskIops: 0, diskMBps: 0, netMbps: 150 });
        expect(apps.limits).to.deep.equal(UNLIMITED);
    });
    it("sums the roles' CPU shares on a shared guest, and a sum beyond its vCPUs is no cap", () => {
        const share = (broker: number, database: number) =>
            placement(
                parseConfig({ platform: "kvm", topology: { compact: true, broker: { cpuPercent: broker }, database: { cpuPercent: database } } }).topology,
            )[0].limits.cpuPercent;
        expect(share(30, 40)).to.equal(70);
        expect(share(60, 70)).to.equal(0);
        expect(share(30, 0)).to.equal(0);
    });
});
