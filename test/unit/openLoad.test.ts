// The open-loop schedule, the intended-time arithmetic, the key mapping, the HDR percentiles and the redelivery accounting.
import { expect } from "chai";
import { OpenLoopSchedule } from "../../workloads/harness/sensors/schedule";
import { LatencyHistogram } from "../../workloads/harness/sensors/latencyHistogram";
import { indexOf, keyOf, KeyRange } from "../../workloads/harness/sensors/runKeys";
import { NoticeLedger } from "../../workloads/harness/sensors/noticeLedger";
import { storedNotice } from "../../workloads/guest/common/observation";

describe("open-loop schedule", () => {
    const s = new OpenLoopSchedule(1000, 5000, 10_000);

    it("gives each observation its intended time, independent of when it is sent", () => {
        expect(s.intendedMs(0)).to.equal(10_000);
        expect(s.intendedMs(1)).to.equal(10_001);
        expect(s.intendedMs(2500)).to.equal(12_500);
        expect(s.endMs()).to.equal(14_999);
    });

    it("counts what is due by a time: nothing before the start, all of it after the end", () => {
        expect(s.dueBy(9_999)).to.equal(0);
        expect(s.dueBy(10_000)).to.equal(1);
        expect(s.dueBy(10_999.5)).to.equal(1000);
        expect(s.dueBy(11_000)).to.equal(1001);
        expect(s.dueBy(1e9)).to.equal(5000);
    });

    it("keeps the schedule after a stall: everything due in the stall is due at once, with its old intended times", () => {
        // A sender held for 2 s finds 2,000 more due; their latency still counts from the intended times.
        expect(s.dueBy(12_000) - s.dueBy(10_000)).to.equal(2000);
        expect(s.intendedMs(s.dueBy(12_000) - 1)).to.equal(12_000);
    });

    it("refuses a rate or total that makes no schedule", () => {
        expect(() => new OpenLoopSchedule(0, 10, 0)).to.throw(/bad schedule/);
        expect(() => new OpenLoopSchedule(10, 2.5, 0)).to.throw(/bad schedule/);
    });
});

describe("run keys", () => {
    const k: KeyRange = { stations: 4, seqBase: 1_000_000, perStation: 25 };

    it("maps every index of a run to a distinct (station, seq) and back", () => {
        const seen = new Set<string>();
        for (let i = 0; i < 100; i++) {
            const [station, seq] = keyOf(i, k);
            seen.add(`${station}:${seq}`);
            expect(indexOf(station, seq, k)).to.equal(i);
        }
        expect(seen.size).to.equal(100);
    });

    it("does not claim keys of another run", () => {
        expect(indexOf(0, 999_999, k)).to.equal(-1);
        expect(indexOf(0, 1_000_025, k)).to.equal(-1);
        expect(indexOf(4, 1_000_000, k)).to.equal(-1);
    });
});

describe("latency histogram", () => {
    it("gives percentiles within its 3 significant digits", () => {
        const h = new LatencyHistogram();
        for (let i = 1; i <= 10_000; i++) h.record(i / 10); // 0.1 .. 1000 ms
        expect(h.count).to.equal(10_000);
        expect(h.percentileMs(50)).to.be.closeTo(500, 1);
        expect(h.percentileMs(99)).to.be.closeTo(990, 1);
        expect(h.percentileMs(99.9)).to.be.closeTo(999, 1);
        expect(h.maxMs()).to.be.closeTo(1000, 1);
    });

    it("sees the tail that a stall leaves: one slow observation in a thousand moves p99.9, not p99", () => {
        const h = new LatencyHistogram();
        for (let i = 0; i < 999; i++) h.record(5);
        h.record(2000);
        expect(h.percentileMs(99)).to.be.closeTo(5, 0.01);
        expect(h.percentileMs(99.95)).to.be.closeTo(2000, 2);
    });

    it("is NaN when empty and refuses a value that is not a number", () => {
        expect(new LatencyHistogram().percentileMs(50)).to.be.NaN;
        expect(() => new LatencyHistogram().record(NaN)).to.throw(/not a latency/);
    });
});

describe("redelivery accounting", () => {
    const keys: KeyRange = { stations: 2, seqBase: 500, perStation: 5 };
    const intended = (i: number) => i * 10;

    it("a worker's notice counts redeliveries, rows already stored and dead letters of its batch", () => {
        const n = storedNotice(
            [
                { redelivered: true, key: [0, 500], refused: false },
                { redelivered: true, key: [1, 500], refused: false },
                { redelivered: false, key: [0, 501], refused: true },
                { redelivered: false, refused: false },
            ],
            1,
        );
        expect(n).to.deep.equal({
            keys: [
                [0, 500],
                [1, 500],
            ],
            redelivered: 2,
            duplicates: 1,
            deadLettered: 2,
        });
    });

    it("the generator counts each observation once, however often it is stored, and sums what the workers saw", () => {
        const ledger = new NoticeLedger(keys, 10);
        ledger.record(
            {
                keys: [
                    [0, 500],
                    [1, 500],
                ],
                redelivered: 0,
                duplicates: 0,
                deadLettered: 0,
            },
            100,
            intended,
        );
        ledger.record(
            {
                keys: [
                    [1, 500],
                    [0, 501],
                ],
                redelivered: 2,
                duplicates: 1,
                deadLettered: 0,
            },
            150,
            intended,
        );
        expect(ledger.noticed).to.equal(3);
        expect([ledger.redelivered, ledger.duplicates, ledger.deadLettered]).to.deep.equal([2, 1, 0]);
        expect(ledger.latency.count).to.equal(3);
        expect(ledger.latency.maxMs()).to.be.closeTo(130, 0.2); // (0, 501) is index 2, intended at 20 ms
        expect(ledger.lastNoticeMs).to.equal(150);
    });

    it("ignores notices of another run, their keys and their counts", () => {
        const ledger = new NoticeLedger(keys, 10);
        ledger.record(
            {
                keys: [
                    [0, 499],
                    [3, 500],
                ],
                redelivered: 5,
                duplicates: 5,
                deadLettered: 5,
            },
            100,
            intended,
        );
        expect([ledger.noticed, ledger.redelivered, ledger.duplicates, ledger.deadLettered]).to.deep.equal([0, 0, 0, 0]);
    });
});
