// A benchmark that cannot reach its criterion is a result, a benchmark that throws ends the run but
// keeps what was measured, and compare never ranks an unreached figure or figures measured to
// different saturation bounds against each other.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { criterionOf, isUnreached, unreachedSample } from "../../workloads/harness/saturation/unreached";
import { aggregate, runBenchmarks } from "../../workloads/harness/suite";
import { failedRunError, keepPartialRun, SuiteStatus } from "../../workloads/harness/suiteStatus";
import type { BenchmarkModule, Sample, SuiteContext } from "../../workloads/harness/contract";
import { metricsTable } from "../../compare/metricsTable";
import { verdicts } from "../../compare/verdicts";
import { cellText } from "../../compare/report";
import { completeness } from "../../scripts/acceptance";
import { diffStacks } from "../../compare/stackDiff";
import { reproduce } from "../../compare/reproducibility";
import { result, snapshot } from "../fixtures/stacks";

const SAT = { stations: 10, sensorsPerStation: 4, p99BoundMs: 1000, stepSeconds: 6 };

function unreachedResult(lastPass: number, bound: number) {
    const u = {
        stop: "noConfirmation" as const,
        lastPassRate: lastPass,
        lastPassKeptUp: lastPass,
        criterion: criterionOf({ p99BoundMs: bound, minKeptUp: 0.98 }),
        seen: [],
    };
    return aggregate("saturation", [[unreachedSample(u, { ...SAT, p99BoundMs: bound })]])[0];
}

function throughput(samples: number[], bound: number) {
    return { ...result("saturation", "saturation_throughput", samples, "higher", "obs/s"), params: { ...SAT, p99BoundMs: bound, reached: true } };
}

describe("saturation criterion not met", () => {
    it("is a figure: the last rate that passed, the criterion it missed and the refused steps", () => {
        const seen = ["91 obs/s: p99 2408 ms > 1000 ms", "86 obs/s: p99 2210 ms > 1000 ms"];
        const s = unreachedSample(
            { stop: "noConfirmation", lastPassRate: 91, lastPassKeptUp: 90.5, criterion: criterionOf({ p99BoundMs: 1000, minKeptUp: 0.98 }), seen },
            SAT,
        );
        expect(s.quantity).to.equal("saturation_throughput");
        expect(s.value).to.equal(90.5);
        expect(s.params).to.include({ reached: false, searchStop: "noConfirmation", lastPassRate: 91, p99BoundMs: 1000 });
        expect(s.params!.criterion).to.match(/p99 ≤ 1000 ms/);
        expect(s.params!.seen).to.match(/91 obs\/s: p99 2408 ms/);
        expect(isUnreached(s)).to.equal(true);
    });

    it("makes the whole figure unreached when one repetition did not meet it", () => {
        const reached: Sample = {
            quantity: "saturation_throughput",
            subject: "system",
            value: 100,
            unit: "obs/s",
            better: "higher",
            params: { ...SAT, reached: true },
        };
        const u = unreachedSample({ stop: "noConfirmation", lastPassRate: 95, lastPassKeptUp: 94, criterion: "c", seen: [] }, SAT);
        const [r] = aggregate("saturation", [[reached], [u]]);
        expect(r.n).to.equal(2);
        expect(isUnreached(r)).to.equal(true);
    });
});

describe("a run's benchmarks and their status", () => {
    const ctx = {} as SuiteContext;
    const module = (name: string, run: () => Promise<Sample[]>): BenchmarkModule => ({ name, description: name, create: () => ({ run }) });
    const sample = (value: number): Sample => ({ quantity: "x", subject: "system", value, unit: "u", better: "higher" });

    it("keeps what ran before a benchmark that threw, and its own repetitions before the throw; marks it failed and the rest skipped", async () => {
        let calls = 0;
        let cleanedUp = false;
        const broken: BenchmarkModule = {
            name: "broken",
            description: "broken",
            create: () => ({
                run: async () => {
                    if (++calls === 2) throw new Error("guest 10.0.0.2 unreachable");
                    return [sample(2)];
                },
                cleanup: async () => {
                    cleanedUp = true;
                },
            }),
        };
        const run = await runBenchmarks([module("first", async () => [sample(1)]), broken, module("after", async () => [sample(3)])], ctx, 3, () => undefined);
        expect(run.failed).to.equal("broken");
        expect(cleanedUp).to.equal(true);
        expect(run.results.map((r) => `${r.benchmark}.${r.metric} n=${r.n}`)).to.deep.equal(["first.x n=3", "broken.x n=1"]);
        expect(run.status.map((s) => [s.name, s.status])).to.deep.equal([
            ["first", "succeeded"],
            ["broken", "failed"],
            ["after", "skipped"],
        ]);
        expect(run.status[1].reason).to.equal("guest 10.0.0.2 unreachable (after 1 of 3 repetitions)");
    });

    it("reports the error of a run, not of the cleanup after it", async () => {
        const logged: string[] = [];
        const m: BenchmarkModule = {
            name: "b",
            description: "b",
            create: () => ({
                run: async () => {
                    throw new Error("the run's own error");
                },
                cleanup: async () => {
                    throw new Error("cleanup error");
                },
            }),
        };
        const run = await runBenchmarks([m], ctx, 2, (l) => logged.push(l));
        expect(run.status[0].reason).to.match(/^the run's own error/);
        expect(logged.join("\n")).to.match(/b: cleanup failed too: cleanup error/);
    });

    it("reports a benchmark whose criterion was not met as unreached, not failed, and runs the next", async () => {
        const u = unreachedSample({ stop: "none", lastPassRate: 0, lastPassKeptUp: 0, criterion: "p99 ≤ 1000 ms", seen: [] }, SAT);
        const run = await runBenchmarks([module("saturation", async () => [u]), module("cpu", async () => [sample(5)])], ctx, 2, () => undefined);
        expect(run.failed).to.equal(undefined);
        expect(run.status.map((s) => s.status)).to.deep.equal(["unreached", "succeeded"]);
        expect(run.status[0].reason).to.match(/saturation_throughput: none/);
    });

    it("writes a failed run's metrics under results/<stack>/<run-id>/ and names the file and each benchmark in the error", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-partial-"));
        try {
            const file = keepPartialRun({ stack: "kvm", provenance: { startedAt: "2026-12-03T12:00:00.000Z" } }, root);
            expect(file).to.equal(path.join(root, "results", "kvm", "2026-12-03T12-00-00-000Z", "metrics.json"));
            expect(JSON.parse(fs.readFileSync(file, "utf8")).stack).to.equal("kvm");
            const status: SuiteStatus[] = [
                { name: "saturation", status: "succeeded", seconds: 300 },
                { name: "cpu", status: "failed", seconds: 2, reason: "sysbench: not found" },
                { name: "memory", status: "skipped", seconds: 0, reason: "cpu failed before it" },
            ];
            const message = failedRunError(status, file).message;
            expect(message).to.match(/benchmark cpu failed; what was measured before it is kept in .*metrics\.json/);
            expect(message)
                .to.match(/saturation\s+succeeded/)
                .and.match(/memory\s+skipped/);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });
});

describe("compare: unreached figures and different saturation bounds", () => {
    it("shows an unreached figure as such, without a ratio to the baseline", () => {
        const native = snapshot("native", "native", false, [throughput([900, 910, 905], 1000)]);
        const kvm = snapshot("kvm", "kvm", true, [unreachedResult(91, 1000)]);
        const [row] = metricsTable([native, kvm], "native");
        expect(row.cells[1]!.ratio).to.equal(undefined);
        expect(cellText(row.cells[1])).to.match(/unreached: noConfirmation, last pass 91 obs\/s at p99 ≤ 1000 ms/);
    });

    it("sets no ratio between figures measured to different bounds", () => {
        const native = snapshot("native", "native", false, [throughput([900, 910, 905], 1000)]);
        const kvm = snapshot("kvm", "kvm", true, [throughput([60, 62, 61], 20000)]);
        const [row] = metricsTable([native, kvm], "native");
        expect(row.cells[1]!.ratio).to.equal(undefined);
        expect(cellText(row.cells[1])).to.match(/p99 bound 20000 ms, the baseline's 1000 ms: not compared/);
        const bound = diffStacks([native, kvm]).find((d) => d.key === "criteria.saturationP99BoundMs");
        expect(bound?.values).to.deep.equal(["1000", "20000"]);
        const line = verdicts([native, kvm]).find((v) => v.startsWith("middleware against"))!;
        expect(line).to.match(/kvm \(emulated\) not comparable \(p99 bound 20000 ms vs 1000 ms\)/);
    });

    it("ranks sustainable throughput only among stacks of one bound and names the unreached", () => {
        const stacks = [
            snapshot("lxc", "lxc", false, [throughput([800, 810, 805], 1000)]),
            snapshot("native", "native", false, [throughput([900, 910, 905], 1000)]),
            snapshot("kvm", "kvm", true, [throughput([60, 62, 61], 20000)]),
            snapshot("xen", "xen", true, [unreachedResult(20, 20000)]),
        ];
        const line = verdicts(stacks).find((v) => v.startsWith("middleware"))!;
        expect(line).to.match(/at p99 ≤ 1000 ms: native 90\d obs\/s/);
        expect(line).to.match(/at p99 ≤ 20000 ms: kvm \(emulated\) 61/);
        expect(line).to.match(/not ranked across different bounds/);
        expect(line).to.match(/xen \(emulated\) unreached \(p99 ≤ 20000 ms not met\)/);
    });
});

describe("compare: a rerun against a saved run of another criterion", () => {
    it("is not comparable, never reproduced", () => {
        const before = { ...snapshot("kvm", "kvm", true, [throughput([60, 62, 61], 20000)]), stack: "kvm", savedAt: "t" };
        const now = snapshot("kvm", "kvm", true, [throughput([60, 62, 61], 10000)]);
        const r = reproduce(now, before);
        expect(r.drifted).to.deep.equal(["saturation.saturation_throughput"]);
        expect(r.rows[0].note).to.equal("p99 bound 20000 ms then, 10000 ms now");
        const same = reproduce(snapshot("kvm", "kvm", true, [throughput([60, 62, 61], 20000)]), before);
        expect(same.drifted).to.deep.equal([]);
    });
});

describe("acceptance: metrics complete", () => {
    const metrics = (status: SuiteStatus[]) => ({ ...snapshot("lxc", "lxc", false, [result("cpu", "x", [1, 2])]).metrics, suiteStatus: status });

    it("is complete when every selected benchmark ran, naming an unreached criterion", () => {
        const c = completeness(
            metrics([
                { name: "saturation", status: "unreached", seconds: 1 },
                { name: "cpu", status: "succeeded", seconds: 1 },
            ]),
            ["saturation", "cpu"],
        );
        expect(c.complete).to.equal(true);
        expect(c.text).to.match(/^complete: 1 figures, 2 benchmarks \(saturation unreached\)/);
    });

    it("is incomplete with a failed, skipped or missing benchmark, or no metrics", () => {
        expect(completeness(metrics([{ name: "cpu", status: "failed", seconds: 1 }]), ["cpu", "disk"]).text).to.match(/INCOMPLETE.*cpu failed, disk missing/);
        expect(completeness(undefined, ["cpu"]).complete).to.equal(false);
    });
});
