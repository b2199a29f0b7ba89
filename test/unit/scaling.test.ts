// Worker scaling: its setting, and the step that swaps the ingest workers in the guest.
import { expect } from "chai";
import { execFileSync } from "child_process";
import { parseConfig } from "../../components/config";
import { restartIngestWorkers } from "../../components/roles/ingest";

describe("scaling", () => {
    const workers = (v: unknown) => parseConfig({ platform: "lxc", benchmark: { scaling: { workers: v } } }).benchmark.scaling.workers;

    it("takes the worker counts as a list or comma-separated, 1, 2 and 4 by default", () => {
        expect(parseConfig({ platform: "lxc" }).benchmark.scaling.workers).to.deep.equal([1, 2, 4]);
        expect(workers("1, 3")).to.deep.equal([1, 3]);
        expect(workers([2, 8])).to.deep.equal([2, 8]);
    });

    it("refuses a count out of range or named twice, naming the setting", () => {
        expect(() => workers("0,2")).to.throw(/virt-testbed:benchmark\.scaling\.workers: has a count that is not an integer from 1 to 32/);
        expect(() => workers("2,2")).to.throw(/virt-testbed:benchmark\.scaling\.workers: names a count twice/);
        expect(() => workers("two")).to.throw(/benchmark\.scaling\.workers/);
    });

    it("stops the running workers and forgets their PID files before starting the new count and waiting for each", () => {
        const script = restartIngestWorkers(3, 60);
        execFileSync("sh", ["-n"], { input: script });
        const at = (s: string) => script.indexOf(s);
        expect(at("rm -f /run/vtb-ingest-*.pid")).to.be.greaterThan(-1).and.lessThan(at("while [ $i -le 3 ]"));
        expect(script).to.contain("ingest worker $i not consuming after 60 s");
    });
});
