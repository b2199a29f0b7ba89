// Worker scaling: its setting, and the step that swaps the ingest workers in the guest.
import { expect } from "chai";
import { execFileSync } from "child_process";
import { parseConfig } from "../../components/config";
import { restartIngestWorkers } from "../../components/roles/ingest";
import { scalingSection, scalingVerdict } from "../../compare/scaling";
import { result, snapshot } from "../fixtures/stacks";

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

    it("tables the throughput per worker count with the speed-up, and says it in a verdict", () => {
        const lxc = snapshot("lxc", "lxc", false, [
            result("scaling", "workers_1.saturation_throughput", [1000, 1100], "higher", "obs/s"),
            result("scaling", "workers_2.saturation_throughput", [1800, 2000], "higher", "obs/s"),
            result("scaling", "workers_2.speedup", [1.8, 1.82], "higher", "×"),
        ]);
        const section = scalingSection([lxc, snapshot("kvm", "kvm", true, [])])!;
        expect(section.columns).to.deep.equal(["ingest workers", "lxc"]);
        expect(section.rows[0]).to.deep.equal(["1", `1050 ± ${section.rows[0][1].split("± ")[1]}`]);
        expect(section.rows[1][1]).to.match(/^1900 ± \S+ \(×1\.81 ± \S+\)$/);
        expect(scalingVerdict([lxc])).to.equal("scaling: lxc ×1.81 from 1 to 2 workers");
    });
});
