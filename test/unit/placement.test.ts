import { expect } from "chai";
import { parseConfig } from "../../components/config";
import { guestOf, placement } from "../../components/placement";

describe("role placement", () => {
    it("puts each role in its own guest by default", () => {
        const p = placement(parseConfig({ platform: "lxc" }).topology);
        expect(p.map((g) => [g.name, g.roles])).to.deep.equal([["broker", ["broker"]], ["database", ["database"]], ["ingest", ["ingest"]], ["visualization", ["visualization"]]]);
    });
    it("compacts to two guests sized by their roles", () => {
        const t = parseConfig({ platform: "kvm", topology: { compact: true, broker: { vcpus: 2, memoryMiB: 768 } } }).topology;
        const p = placement(t);
        expect(p).to.deep.equal([
            { name: "core", roles: ["broker", "database"], vcpus: 2, memoryMiB: 768 + 1024 },
            { name: "apps", roles: ["ingest", "visualization"], vcpus: 1, memoryMiB: 512 + 512 },
        ]);
        expect(guestOf(p, "database").name).to.equal("core");
        expect(guestOf(p, "visualization").name).to.equal("apps");
    });
});
