import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { estimate, incompleteBeta, tCritical, welch } from "../../compare/statistics";
import { diffStacks } from "../../compare/stackDiff";
import { metricsTable } from "../../compare/metricsTable";
import { entitlement, machinesLine, overheadScore, verdicts } from "../../compare/verdicts";
import { loadRun, reproduce, saveRun } from "../../compare/reproducibility";
import { compareStacks } from "../../compare/report";
import { parseArgs, readSnapshot, run, UsageError } from "../../compare/cli";
import { StackSnapshot } from "../../compare/snapshot";
import { kvm, lxc, lxcWithGuests, result, snapshot, xenWithGuests } from "../fixtures/stacks";

describe("compare: statistics", () => {
    it("gives Student t critical values of the tables", () => {
        expect(tCritical(1)).to.be.closeTo(12.706, 1e-3);
        expect(tCritical(2)).to.be.closeTo(4.303, 1e-3);
        expect(tCritical(10)).to.be.closeTo(2.228, 1e-3);
        expect(incompleteBeta(0.5, 2, 3)).to.be.closeTo(11 / 16, 1e-12);
    });
    it("computes Welch's test as published (t = -2.22, df = 24.5, p = 0.036)", () => {
        const a = [19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0];
        const b = [28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7, 23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3];
        const w = welch(a, b);
        expect(w.t).to.be.closeTo(-2.2255, 1e-3);
        expect(w.df).to.be.closeTo(24.52, 0.01);
        expect(w.p).to.be.closeTo(0.0355, 1e-3);
    });
    it("handles samples without spread and single samples", () => {
        expect(welch([0, 0], [0, 0]).p).to.equal(1);
        expect(welch([1, 1], [2, 2]).p).to.equal(0);
        expect(estimate([5]).ci95).to.be.NaN;
        expect(estimate([1, 2, 3]).ci95).to.be.closeTo(4.303 / Math.sqrt(3), 1e-3);
    });
});

describe("compare: config and provenance diff", () => {
    it("shows changed and missing keys and nothing identical", () => {
        const keys = diffStacks([lxc, kvm]).map((r) => r.key);
        expect(keys).to.include.members([
            "config.network.bridge",
            "config.kvm.nicModel",
            "config.platform",
            "platform",
            "emulated",
            "versions.platform",
            "provenance.configHash",
        ]);
        expect(keys).not.to.include.members(["config.network.subnet", "provenance.imageHash", "hostFacts.kernel", "versions.node"]);
        const missing = diffStacks([lxc, kvm]).find((r) => r.key === "config.kvm.nicModel")!;
        expect(missing.values).to.deep.equal([undefined, "virtio"]);
    });
});

describe("compare: metrics table", () => {
    it("against the bare host: ratio, direction and significance per stack", () => {
        const rows = metricsTable([lxc, kvm]);
        const guest = rows.find((r) => r.name === "cpu.guest.events_per_s")!;
        expect(guest.cells[0]!.ratio).to.be.closeTo(1, 0.01);
        expect(guest.cells[0]!.verdict).to.equal("same");
        expect(guest.cells[1]!.ratio).to.be.closeTo(0.27, 0.01);
        expect(guest.cells[1]!.verdict).to.equal("worse");
        expect(rows.find((r) => r.name === "pipeline.throughput")!.cells[0]!.ratio).to.equal(undefined);
    });
    it("against a baseline stack: lower-is-better metrics turn the verdict around", () => {
        const rows = metricsTable([lxc, kvm], "kvm");
        const p95 = rows.find((r) => r.name === "pipeline.latency_p95")!;
        expect(p95.cells[0]!.verdict).to.equal("better");
        expect(p95.cells[0]!.ratio).to.be.closeTo(21 / 410, 1e-3);
        expect(p95.cells[1]!.ratio).to.equal(undefined);
        expect(() => metricsTable([lxc, kvm], "xen")).to.throw(/--baseline xen: not one of the compared stacks/);
    });
    it("keeps a metric one stack lacks, as missing", () => {
        const lost = metricsTable([lxc, kvm]).find((r) => r.name === "pipeline.lost")!;
        expect(lost.cells[0]!.mean).to.equal(0);
        expect(lost.cells[1]).to.equal(undefined);
    });
    it("states verdicts per question, marking emulated stacks", () => {
        expect(overheadScore(kvm)!.score).to.be.closeTo(0.27, 0.01);
        const [overhead, middleware] = verdicts([lxc, kvm]);
        expect(overhead).to.match(/lxc keeps 100 % .*kvm \(emulated\) keeps 27 %.*least overhead: lxc/);
        expect(middleware)
            .to.match(/lowest p95 latency lxc 21 ms/)
            .and.match(/highest throughput .*not significantly ahead/);
        expect(middleware).to.contain("observations lost: lxc 0, kvm ?");
    });
    it("says when the stacks ran on different machines, and names each", () => {
        const on = (s: typeof lxc, hostname: string, cgroup: string) => ({
            ...s,
            metrics: { ...s.metrics, provenance: { ...s.metrics.provenance, host: { ...s.metrics.provenance.host, hostname, cgroup } } },
        });
        // One machine whose kernel or cgroup hierarchy changed between runs is still one machine.
        expect(machinesLine([on(lxc, "lab1", "v2"), on(kvm, "lab1", "v1")])).to.equal(undefined);
        const [first] = verdicts([on(lxc, "lab1", "v2"), on(kvm, "here", "v1")]);
        expect(first).to.match(/^machines: lxc on lab1 \(2 cores\); kvm on here \(2 cores\): absolute figures of different machines are not comparable/);
    });
});

describe("compare: entitlement and operational verdicts", () => {
    it("counts the sizes and caps applied as asked, and names what was not", () => {
        expect(entitlement(lxcWithGuests)).to.deep.equal({ asked: 8, applied: 8, notApplied: [] });
        expect(entitlement(xenWithGuests)).to.deep.equal({
            asked: 9,
            applied: 7,
            notApplied: ["DiskReadIops: not applied: no throttle", "DiskWriteIops: not applied: no throttle"],
        });
        expect(entitlement(lxc)).to.equal(undefined);
    });
    it("reports the slowest guest's boot to ready and the nested host's boot", () => {
        const lines = verdicts([lxcWithGuests, xenWithGuests]);
        const [ent, ops] = ["entitlement:", "operational:"].map((p) => lines.find((l) => l.startsWith(p)));
        expect(ent).to.match(/^entitlement: lxc applied 8 of 8 .*; xen applied 7 of 9 requested sizes and caps \(DiskReadIops: not applied/);
        expect(ops).to.equal("operational: boot to ready (slowest guest) lxc 1.3 s; xen (emulated) 70.9 s after its nested host's 26.7 s");
    });
});

describe("compare: reproducibility", () => {
    it("saves a run and names the metrics that drifted outside the earlier CI", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-results-"));
        try {
            saveRun(lxc, "first", dir);
            const again = reproduce(lxc, loadRun("first", dir));
            expect(again.drifted).to.deep.equal([]);
            const slower = snapshot(
                "lxc",
                "lxc",
                false,
                lxc.metrics.results.map((r) => (r.metric === "latency_p95" ? result("pipeline", "latency_p95", [40, 41, 42], "lower", "ms") : r)),
            );
            const rep = reproduce(slower, loadRun("first", dir));
            expect(rep.drifted).to.deep.equal(["pipeline.latency_p95"]);
            expect(rep.rows.find((r) => r.name === "pipeline.latency_p95")!.driftPct).to.be.closeTo(((41 - 21) / 21) * 100, 1e-9);
            const capped = snapshot(
                "lxc",
                "lxc",
                false,
                lxc.metrics.results.map((r) => (r.metric === "throughput" ? result("pipeline", "throughput", [402.5, 402.6, 402.7], "higher", "obs/s") : r)),
            );
            saveRun(capped, "capped", dir);
            const tiny = reproduce(
                snapshot(
                    "lxc",
                    "lxc",
                    false,
                    capped.metrics.results.map((r) =>
                        r.metric === "throughput" ? result("pipeline", "throughput", [403.9, 404, 404.1], "higher", "obs/s") : r,
                    ),
                ),
                loadRun("capped", dir),
            );
            const row = tiny.rows.find((r) => r.name === "pipeline.throughput")!;
            expect([row.inside, row.reproduced]).to.deep.equal([false, true]);
            expect(() => loadRun("nope", dir)).to.throw(/no saved run "nope".*saved: (capped, first|first, capped)/);
            expect(() => saveRun(lxc, "../evil", dir)).to.throw(/saved run name/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("compare: command line and formats", () => {
    const read = async (name: string) => (({ lxc, kvm }) as Record<string, StackSnapshot>)[name];
    it("rejects bad arguments with usage errors", () => {
        expect(() => parseArgs(["lxc"])).to.throw(UsageError, /two or more stacks/);
        expect(() => parseArgs(["lxc", "kvm", "--format", "pdf"])).to.throw(/--format pdf: use one of table, json, markdown, html/);
        expect(() => parseArgs(["lxc", "kvm", "--save", "x"])).to.throw(/exactly one stack/);
        expect(parseArgs(["lxc", "kvm", "--baseline", "lxc", "--format", "json"])).to.include({ baseline: "lxc", format: "json" });
    });
    it("renders a table, markdown and json of the same comparison", async () => {
        const table = await run(parseArgs(["lxc", "kvm"]), read);
        expect(table)
            .to.contain("== Config and provenance: what differs")
            .and.contain("kvm (emulated)")
            .and.match(/pipeline\.lost .*missing/);
        const md = await run(parseArgs(["lxc", "kvm", "--format", "markdown"]), read);
        expect(md).to.contain("| metric | unit | better | lxc | kvm (emulated) |");
        const json = JSON.parse(await run(parseArgs(["lxc", "kvm", "--format", "json"]), read));
        expect(json.kind).to.equal("comparison");
        expect(json.metrics.length).to.equal(compareStacks([lxc, kvm]).metrics.length);
    });
    it("renders one self-contained HTML file: charts inlined, data embedded, nothing fetched", async () => {
        const html = await run(parseArgs(["lxc", "kvm", "--format", "html"]), read);
        expect(html).to.contain('id="latency-cdf"').and.contain('id="group-cpu"').and.contain("barWithErrorBars");
        expect(html).not.to.match(/<script[^>]+src=|<link[^>]+href=|https?:\/\/[^"' ]+\.(js|css)/);
        expect(html.match(/<\/script>/g)!.length).to.equal(4);
    });
});

describe("compare: database verdict", () => {
    it("gives each stack's pgbench TPS as a share of the bare host's, beside the thesis's figures, only when measured", () => {
        const withDb = {
            ...lxc,
            metrics: { ...lxc.metrics, results: [...lxc.metrics.results, result("db", "ratio.tps", [0.9, 0.92, 0.94], "higher", "guest/host")] },
        };
        const lines = verdicts([withDb, kvm]);
        expect(lines.find((l) => l.startsWith("database:"))).to.equal(
            "database: pgbench TPS in the database guest as a share of the bare host's: lxc 92 % (thesis, 2013 hardware: LXC 90 %, KVM 84 %, Xen 82 %)",
        );
        expect(verdicts([lxc, kvm]).some((l) => l.startsWith("database:"))).to.equal(false);
    });
});

describe("compare: saved runs as stacks", () => {
    it("reads each named stack or saved run by its name alone", async () => {
        const calls: unknown[][] = [];
        await run({ stacks: ["@a", "kvm"], baseline: "host", format: "json" }, async (...a: unknown[]) => (calls.push(a), a[0] === "kvm" ? kvm : lxc));
        expect(calls).to.deep.equal([["@a"], ["kvm"]]);
    });

    it("reads `@<name>` from the saved runs, named after its stack and the run", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-saved-"));
        try {
            saveRun(lxc, "before", dir);
            const s = await readSnapshot("@before", dir);
            expect(s.name).to.equal("lxc@before");
            expect(s.metrics.results).to.deep.equal(lxc.metrics.results);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the middleware at its limit in the comparison", () => {
    it("puts the thesis's published figures beside ours, for the thesis's N at our measured rate", () => {
        const t = compareStacks([lxc, kvm]).thesis;
        expect(t.columns).to.deep.equal(["experiment", "thesis bare", "thesis LXC", "thesis KVM", "thesis Xen", "lxc", "kvm (emulated)"]);
        expect(t.rows[0]).to.deep.equal(["publish 50,000 observations, 8 publishers (s)", "200", "206", "254", "232", "5", "not measured"]);
        expect(t.rows[2].slice(-2)).to.deep.equal(["0.2", "not measured"]);
        expect(t.notes!.join(" ")).to.match(/2013/);
    });

    it("tabulates the saturation curve and names the sustainable throughput, the ceiling share and the loss under faults", () => {
        const c = compareStacks([lxc, kvm]);
        expect(c.curves).to.have.length(1);
        expect(c.curves[0].columns).to.deep.equal(["phase", "offered [obs/s]", "keptUp [obs/s]", "p50 [ms]", "p99 [ms]", "pass", "why"]);
        expect(c.curves[0].rows[1]).to.deep.equal(["search", "16000", "9000", "900", "4000", "false", "backlog grew"]);
        const line = c.verdicts.find((v) => v.startsWith("middleware:"))!;
        expect(line).to.match(/highest sustainable throughput lxc 8000 obs\/s/);
        expect(line).to.match(/share of the broker-only ceiling: lxc 81 %, kvm \?/);
        expect(line).to.match(/under faults .*lxc lost 0, redelivered 120/);
    });
});

describe("the bare-host stack in the comparison", () => {
    it("gives every platform its share of native's sustainable throughput and its p99 factor", () => {
        const native = snapshot("native", "native", false, [
            result("saturation", "saturation_throughput", [10000, 10100, 9900], "higher", "obs/s"),
            result("saturation", "latency_p99_at_90pct", [100, 100, 100], "lower", "ms"),
        ]);
        const v = verdicts([native, lxc, kvm]);
        const line = v.find((l) => l.startsWith("middleware against the bare host"))!;
        expect(line).to.match(/\(native\): lxc 80 % of its throughput, p99 ×1\.25; kvm \(emulated\) \? of its throughput/);
        expect(verdicts([lxc, kvm]).some((l) => l.startsWith("middleware against the bare host"))).to.equal(false);
    });
});

describe("entitlement and isolation in the comparison", () => {
    it("tabulates each victim's degradation per stressor and mode beside the thesis's figure, and the stressor's own work", () => {
        const c = compareStacks([lxc, kvm]);
        const rows = c.isolation!.rows;
        expect(rows[0]).to.deep.equal(["uncapped", "cpu", "cpu", "+60 ± 12.4 %", "+20 ± 12.4 %", "LXC +59.86 / KVM +17.64 / Xen +17.58"]);
        const work = rows.find((r) => r[1] === "disk" && r[2].startsWith("(the stressor"))!;
        expect(work[3]).to.match(/^5000 ± .* bogo ops\/s; 93\.3 %$/);
    });
    it("names the worst degradation per stack and mode, with the thesis's worst", () => {
        const line = verdicts([lxc, kvm]).find((l) => l.startsWith("isolation:"))!;
        expect(line).to.match(
            /^isolation: uncapped: worst degradation lxc \+300 % \(disk stressor, pipeline_p99\); kvm \(emulated\) \+90 % \(disk stressor, pipeline_p99\)/,
        );
        expect(line).to.contain("thesis, uncapped, worst: disk stressor LXC +359 %");
    });
    it("shows what a capped guest got of what it asked for, and a cap the platform did not apply as not enforced with its reason, never as a ratio", () => {
        const c = compareStacks([lxc, kvm]);
        const [cpu, net] = c.entitlement!.rows;
        expect(cpu[0]).to.equal("cpu");
        expect(cpu[1]).to.match(/^1 ± 0\.0\d+ \(0\.5 ± .* of 0\.5 cores; uncapped 0\.997\)$/);
        expect(net[1]).to.match(/^not enforced \(not applied: no tbf\): 192 ± .* of 200 Mbit\/s$/);
        expect(verdicts([lxc, kvm]).find((l) => l.startsWith("entitlement under load:"))).to.equal(
            "entitlement under load: lxc enforced 1 of 2 caps under load (not: net_in); kvm (emulated) enforced 1 of 2 caps under load (not: net_in)",
        );
    });
});
