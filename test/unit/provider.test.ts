import { expect } from "chai";
import { opsProvider } from "../../components/lib/resourceKind";

describe("dynamic provider diff", () => {
    it("replaces on any change when every input is immutable", async () => {
        const p = opsProvider("guest", "*");
        const d = await p.diff!("id", { vcpus: 1, name: "a" }, { vcpus: 2, name: "a" });
        expect(d).to.include({ changes: true, deleteBeforeReplace: true });
        expect(d.replaces).to.deep.equal(["vcpus"]);
    });
    it("updates in place when the changed input is mutable", async () => {
        const p = opsProvider("benchmark", []);
        const d = await p.diff!("id", { benchmark: { rate: 1 } }, { benchmark: { rate: 2 } });
        expect(d.changes).to.equal(true);
        expect(d.replaces).to.deep.equal([]);
    });
    it("reports no changes for equal inputs, ignoring output-only keys", async () => {
        const p = opsProvider("bridge", "*");
        const d = await p.diff!("id", { name: "b", hostCidr: "10.0.0.1/24", extra: 1 }, { name: "b", hostCidr: "10.0.0.1/24" });
        expect(d.changes).to.equal(false);
    });
});
