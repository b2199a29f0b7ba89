import { expect } from "chai";
import { percentile, summarize } from "../../workloads/guest/common/stats";
import { aggregate, overheadRatios } from "../../workloads/harness/suite";
import { Sample } from "../../workloads/harness/contract";

describe("statistics", () => {
    it("summarizes with the sample standard deviation", () => {
        const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
        expect(s.n).to.equal(8);
        expect(s.mean).to.equal(5);
        expect(s.stddev).to.be.closeTo(2.138, 0.001);
        expect([s.min, s.max]).to.deep.equal([2, 9]);
    });
    it("gives a single sample no spread and refuses none", () => {
        expect(summarize([3]).stddev).to.equal(0);
        expect(() => summarize([])).to.throw(/no samples/);
    });
    it("interpolates percentiles between ranks", () => {
        expect(percentile([1, 2, 3, 4], 50)).to.equal(2.5);
        expect(percentile([5, 1, 3], 0)).to.equal(1);
        expect(percentile([5, 1, 3], 100)).to.equal(5);
        expect(percentile([10, 20], 95)).to.be.closeTo(19.5, 1e-9);
    });
});

describe("suite aggregation", () => {
    const rep = (g: number, h: number): Sample[] => [
        { quantity: "events_per_s", subject: "guest", value: g, unit: "events/s", better: "higher", params: { threads: 1 } },
        { quantity: "events_per_s", subject: "host", value: h, unit: "events/s", better: "higher", params: { threads: 1 } },
    ];
    it("groups repetitions per metric with unit, n and samples", () => {
        const r = aggregate("cpu", [rep(90, 100), rep(110, 100)]);
        expect(r.map((m) => m.metric)).to.deep.equal(["guest.events_per_s", "host.events_per_s"]);
        expect(r[0]).to.include({ benchmark: "cpu", unit: "events/s", better: "higher", n: 2, mean: 100, min: 90, max: 110 });
        expect(r[0].samples).to.deep.equal([90, 110]);
    });
    it("derives guest/host ratios per repetition", () => {
        const [ratio] = overheadRatios("cpu", [rep(90, 100), rep(50, 100)]);
        expect(ratio).to.include({ metric: "ratio.events_per_s", subject: "ratio", quantity: "events_per_s", unit: "guest/host", n: 2, mean: 0.7 });
    });
});
