// The saturation search on synthetic steps: the pass rule, the ramp, the bisection, the stops; and
// the per-component CPU accounting.
import { expect } from "chai";
import { judgeStep, SaturationSearch, SearchSettings } from "../../workloads/harness/saturation/search";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CPU_TICKS_SCRIPT, microsPerObservation, parseCpuTicks, sumReadings } from "../../workloads/harness/saturation/cpuCost";
import type { StepResult } from "../../workloads/harness/sensors/loadStep";

const SETTINGS: SearchSettings = { startRate: 500, maxRate: 100_000, growth: 2, precision: 0.05, p99BoundMs: 1000, minKeptUp: 0.98, minRate: 10 };

/** A step of a system that keeps up with anything up to `limit` obs/s, with latency growing near it. */
function syntheticStep(offered: number, limit: number, over: Partial<StepResult> = {}): StepResult {
    const kept = Math.min(offered, limit);
    return {
        offeredRate: offered,
        durationSeconds: 10,
        sent: offered * 10,
        stored: offered * 10,
        lost: 0,
        purged: 0,
        keptUpRate: kept,
        throughput: kept,
        backlogGrowing: offered > limit,
        latencyMs: { p50: 10, p95: 20, p99: offered > limit ? 5000 : 50, p999: 80, max: 90 },
        generatorLagP99Ms: 1,
        valid: true,
        noticed: offered * 10,
        republished: 0,
        reconnects: 0,
        redelivered: 0,
        duplicates: 0,
        deadLettered: 0,
        ...over,
    };
}

function search(limit: number, settings = SETTINGS) {
    const s = new SaturationSearch(settings);
    const offered: number[] = [];
    for (let r = s.next(); r !== undefined; r = s.next()) {
        offered.push(r);
        s.record(r, judgeStep(syntheticStep(r, limit), settings));
    }
    return { ...s.result(), offered };
}

describe("saturation step verdict", () => {
    it("passes a step that kept up with a flat backlog, p99 in bound and nothing lost", () => {
        expect(judgeStep(syntheticStep(1000, 2000), SETTINGS)).to.deep.equal({ pass: true, reasons: [], generatorBound: false });
    });

    it("fails a step on each rule and says which", () => {
        const why = (over: Partial<StepResult>) => judgeStep(syntheticStep(1000, 2000, over), SETTINGS).reasons.join("; ");
        expect(why({ keptUpRate: 970 })).to.match(/stored 970\/s < 98 % of offered 1000\/s/);
        expect(why({ backlogGrowing: true })).to.match(/backlog grew/);
        expect(why({ latencyMs: { p50: 1, p95: 1, p99: 1500, p999: 1, max: 1 } })).to.match(/p99 1500 ms > 1000 ms/);
        expect(why({ lost: 3 })).to.match(/3 lost/);
        expect(why({ purged: 40 })).to.match(/40 left queued/);
    });

    it("fails a step whose generator fell behind and marks it as saying nothing about the system", () => {
        const v = judgeStep(syntheticStep(1000, 2000, { valid: false, invalidReason: "the generator ran late" }), SETTINGS);
        expect(v.pass).to.equal(false);
        expect(v.generatorBound).to.equal(true);
    });
});

describe("saturation search", () => {
    it("ramps, then bisects to within 5 % below the limit", () => {
        const r = search(7300);
        expect(r.stop).to.equal("bracketed");
        expect(r.rate).to.be.at.most(7300);
        expect(r.rate).to.be.at.least(7300 * 0.95);
        expect(r.offered.slice(0, 5)).to.deep.equal([500, 1000, 2000, 4000, 8000]);
    });

    it("finds a limit below the start rate by bisecting down", () => {
        const r = search(120);
        expect(r.rate).to.be.within(120 * 0.95, 120);
        expect(r.offered[0]).to.equal(500);
    });

    it("reports nothing sustained when even the lowest rate fails", () => {
        const r = search(5);
        expect(r).to.include({ rate: 0, stop: "none" });
    });

    it("stops at maxRate when the system keeps up with it", () => {
        const r = search(1e9, { ...SETTINGS, maxRate: 3000 });
        expect(r).to.include({ rate: 3000, stop: "maxRate" });
        expect(r.offered).to.deep.equal([500, 1000, 2000, 3000]);
    });

    it("stops when the generator cannot keep up, keeping the last pass as a lower bound", () => {
        const s = new SaturationSearch(SETTINGS);
        s.record(500, { pass: true, reasons: [], generatorBound: false });
        s.record(1000, { pass: false, reasons: ["late"], generatorBound: true });
        expect(s.next()).to.equal(undefined);
        expect(s.result()).to.deep.equal({ rate: 500, stop: "generator" });
    });
});

describe("CPU cost per observation", () => {
    it("adds up the processes of each component and converts ticks to seconds", () => {
        const r = parseCpuTicks("broker 300\nbroker 100\ndatabase 50\ningest 20\ningest 30\nCLK_TCK 100\n");
        expect(r).to.deep.equal({ broker: 4, database: 0.5, ingest: 0.5 });
    });

    it("refuses output without the clock rate", () => {
        expect(() => parseCpuTicks("broker 3\n")).to.throw(/no CLK_TCK/);
    });

    it("gives µs per observation from two readings over several guests", () => {
        const before = sumReadings([{ broker: 1 }, { database: 2, ingest: 1 }]);
        const after = sumReadings([{ broker: 3 }, { database: 2.5, ingest: 1.4 }]);
        const us = microsPerObservation(before, after, 10_000);
        expect(us.broker).to.be.closeTo(200, 1e-9);
        expect(us.database).to.be.closeTo(50, 1e-9);
        expect(us.ingest).to.be.closeTo(40, 1e-9);
    });

    it("leaves out a component whose account went backwards", () => {
        const us = microsPerObservation({ broker: 1, database: 2 }, { broker: 2, database: 1.9 }, 1000);
        expect(us).to.have.keys("broker");
    });

    it("counts an exited process its parent has not reaped yet (its time is in no other account)", async function () {
        // A shell named postgres burns CPU and exits; its parent runs sleep, which never reaps it.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-cpu-"));
        fs.copyFileSync("/bin/dash", path.join(dir, "postgres"));
        fs.chmodSync(path.join(dir, "postgres"), 0o755);
        const busy = `i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done`;
        const parent = spawn("/bin/sh", ["-c", `${dir}/postgres -c '${busy}' & exec sleep 60`], { stdio: "ignore" });
        try {
            const zombie = async () => {
                for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
                    const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, "utf8") : "";
                    if (stat.includes("(postgres) Z") && stat.split(") ")[1].split(" ")[1] === String(parent.pid)) return true;
                }
                return false;
            };
            const t0 = Date.now();
            while (!(await zombie())) {
                if (Date.now() - t0 > 30_000) throw new Error("the child did not exit in 30 s");
                await new Promise((r) => setTimeout(r, 100));
            }
            const seconds = parseCpuTicks(execFileSync("/bin/sh", ["-ec", CPU_TICKS_SCRIPT], { encoding: "utf8" }));
            expect(seconds.database ?? 0).to.be.greaterThan(0);
        } finally {
            parent.kill();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
