// The comparison and the reproduction as data (the JSON format) and as titled tables, which
// every text format renders the same way.
import { diffStacks, DiffRow } from "./stackDiff";
import { HOST_BASELINE, metricsTable, MetricRow, Cell } from "./metricsTable";
import { verdicts } from "./verdicts";
import { Reproduction, RESOLUTION_PCT } from "./reproducibility";
import { StackSnapshot } from "./snapshot";
import { num } from "./format";
import { thesisSection } from "./thesis";
import { curveSections } from "./curves";
import { entitlementSection, isolationChartData, isolationSection } from "./isolation";
import { securitySection } from "./security";
import { operationsChartData, operationsSection } from "./operations";
import { scalingSection } from "./scaling";
import { densitySection } from "./density";
import type { Curve } from "../workloads/harness/contract";

export interface StackSummary {
    name: string;
    platform: string;
    emulated: boolean;
    provenance: StackSnapshot["metrics"]["provenance"];
}

export interface Comparison {
    kind: "comparison";
    generatedAt: string;
    baseline: string;
    stacks: StackSummary[];
    configDiff: DiffRow[];
    metrics: MetricRow[];
    verdicts: string[];
    /** The thesis's published figures beside our analogs. */
    thesis: Section;
    /** Traced series per stack (the saturation curve), as tables and as data for the charts. */
    curves: Section[];
    curveData: { stack: string; curve: Curve }[];
    /** Entitlement under load and isolation, when a stack measured them. */
    entitlement?: Section;
    isolation?: Section;
    /** Security facts, when a stack gathered them. */
    security?: Section;
    /** Operation times (or why not), when a stack measured them. */
    operations?: Section;
    /** Throughput per ingest worker count, when a stack measured it. */
    scaling?: Section;
    /** Guests started together and their memory, when a stack measured them. */
    density?: Section;
    isolationCharts: ReturnType<typeof isolationChartData>;
    /** Operation times beside the thesis's, when a stack measured them. */
    operationsChart?: ReturnType<typeof operationsChartData>;
}

export function compareStacks(stacks: StackSnapshot[], baseline = HOST_BASELINE): Comparison {
    return {
        kind: "comparison",
        generatedAt: new Date().toISOString(),
        baseline,
        stacks: stacks.map((s) => ({ name: s.name, platform: s.metrics.platform, emulated: s.metrics.emulated, provenance: s.metrics.provenance })),
        configDiff: diffStacks(stacks),
        metrics: metricsTable(stacks, baseline),
        verdicts: verdicts(stacks),
        thesis: thesisSection(stacks),
        curves: curveSections(stacks),
        curveData: stacks.flatMap((s) => (s.metrics.curves ?? []).map((curve) => ({ stack: s.name, curve }))),
        entitlement: entitlementSection(stacks),
        isolation: isolationSection(stacks),
        security: securitySection(stacks),
        operations: operationsSection(stacks),
        scaling: scalingSection(stacks),
        density: densitySection(stacks),
        isolationCharts: isolationChartData(stacks),
        operationsChart: operationsChartData(stacks),
    };
}

export interface Section {
    title: string;
    columns: string[];
    rows: string[][];
    /** Free text shown instead of (or after) the table. */
    notes?: string[];
}

export function cellText(c: Cell | undefined): string {
    if (!c) return "missing";
    const ci = Number.isNaN(c.ci95) ? "" : ` ± ${num(c.ci95)}`;
    if (c.note) return `${num(c.mean)}${ci} (${c.note})`;
    if (c.ratio === undefined) return `${num(c.mean)}${ci}`;
    const mark = c.verdict === "same" ? "n.s." : `${c.verdict}, p=${num(c.p)}`;
    return `${num(c.mean)}${ci} (×${num(c.ratio)}, ${mark})`;
}

export function comparisonSections(c: Comparison): Section[] {
    const names = c.stacks.map((s) => `${s.name}${s.emulated ? " (emulated)" : ""}`);
    const baseline = c.baseline === HOST_BASELINE ? "the bare host measured in the same run (guest.* vs host.*)" : `stack ${c.baseline}`;
    return [
        {
            title: "Config and provenance: what differs",
            columns: ["key", ...c.stacks.map((s) => s.name)],
            rows: c.configDiff.map((d) => [d.key, ...d.values.map((v) => v ?? "missing")]),
            notes: c.configDiff.length ? [] : ["Nothing differs."],
        },
        {
            title: "Metrics",
            columns: ["metric", "unit", "better", ...names],
            rows: c.metrics.map((m) => [m.name, m.unit, m.better === "higher" ? "higher ↑" : "lower ↓", ...m.cells.map(cellText)]),
            notes: [`mean ± 95 % CI (Student t). Ratio ×r to the baseline: ${baseline}; better/worse when Welch's two-sided t-test gives p < 0.05, else n.s.`],
        },
        { title: "Verdicts", columns: [], rows: [], notes: c.verdicts },
        ...(c.entitlement ? [c.entitlement] : []),
        ...(c.isolation ? [c.isolation] : []),
        ...(c.security ? [c.security] : []),
        ...(c.operations ? [c.operations] : []),
        ...(c.scaling ? [c.scaling] : []),
        ...(c.density ? [c.density] : []),
        c.thesis,
        ...c.curves,
    ];
}

export function reproductionSections(r: Reproduction): Section[] {
    const est = (e?: { mean: number; ci95: number }) => (e ? `${num(e.mean)} ± ${num(e.ci95)}` : "missing");
    return [
        {
            title: `Reproducibility of ${r.stack} against ${r.against}`,
            columns: ["metric", "unit", "earlier", "current", "inside earlier CI", "drift", "reproduced"],
            rows: r.rows.map((d) => [
                d.name,
                d.unit,
                est(d.earlier),
                est(d.current),
                d.inside ? "yes" : "no",
                d.driftPct === undefined ? "—" : `${d.driftPct >= 0 ? "+" : ""}${d.driftPct.toFixed(1)} %`,
                d.reproduced ? "yes" : d.note ? `NOT COMPARABLE: ${d.note}` : "DRIFTED",
            ]),
            notes: [
                r.drifted.length
                    ? `Drifted (${r.drifted.length} of ${r.rows.length}): ${r.drifted.join(", ")}`
                    : `Reproduced: all ${r.rows.length} metrics inside the earlier 95 % CI or within ${RESOLUTION_PCT} % of it.`,
                `earlier/current: mean ± 95 % CI half-width. A metric reproduces inside the earlier CI, or within ${RESOLUTION_PCT} % of the earlier mean (a near-zero-width CI).`,
            ],
        },
    ];
}
