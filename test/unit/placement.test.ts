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
        expect(core.limits).to.deep.equal({ diskIops: 0, diskMBps: 0, netMbps: 150 });
        expect(apps.limits).to.deep.equal(UNLIMITED);
    });
});
