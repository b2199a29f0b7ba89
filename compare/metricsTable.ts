// The metrics table: one row per metric, one column per stack, mean ± 95 % CI with units, the
// ratio to the baseline, which direction is better, and whether the difference is significant
// (Welch's two-sided t-test, α = 0.05). A metric missing on a stack stays in the table as missing.
import type { MetricResult } from "../workloads/harness/contract";
import { estimate, Estimate, welch } from "./statistics";
import { StackSnapshot } from "./snapshot";
import { isUnreached } from "../workloads/harness/saturation/unreached";

export const ALPHA = 0.05;
/** The default baseline: the bare host measured in the same run (host.* beside guest.*). */
export const HOST_BASELINE = "host";

export interface Cell extends Estimate {
    /** mean / baseline mean; undefined when there is no baseline for this metric. */
    ratio?: number;
    /** Welch p-value against the baseline's samples. */
    p?: number;
    /** better / worse than the baseline (significant), or same (not significant). */
    verdict?: "better" | "worse" | "same";
    /** Why the figure is not set against the baseline: its criterion was not met, or differs from the baseline's. */
    note?: string;
}

export interface MetricRow {
    name: string;
    unit: string;
    better: "higher" | "lower";
    /** One cell per stack, undefined where the stack lacks the metric. */
    cells: (Cell | undefined)[];
}

const key = (r: MetricResult) => `${r.benchmark}.${r.metric}`;

/** The baseline of a metric on one stack: the same run's host.* figure, or the baseline stack's same metric. */
function baselineOf(stack: StackSnapshot, r: MetricResult, baseline: StackSnapshot | undefined): MetricResult | undefined {
    if (baseline) return baseline === stack ? undefined : baseline.metrics.results.find((b) => key(b) === key(r));
    if (r.subject !== "guest") return undefined;
    return stack.metrics.results.find((b) => b.benchmark === r.benchmark && b.subject === "host" && b.quantity === r.quantity);
}

/** The p99 bound a figure was measured to (the saturation search's criterion); undefined for figures without one. */
export function p99BoundOf(r: MetricResult): number | undefined {
    const bound = r.params?.p99BoundMs;
    return typeof bound === "number" ? bound : undefined;
}

export function compareCell(r: MetricResult, base: MetricResult | undefined): Cell {
    const e = estimate(r.samples);
    if (isUnreached(r)) return { ...e, note: `unreached: ${r.params.searchStop}, last pass ${r.params.lastPassRate} obs/s at p99 ≤ ${p99BoundOf(r)} ms` };
    if (base && p99BoundOf(base) !== p99BoundOf(r)) return { ...e, note: `p99 bound ${p99BoundOf(r)} ms, the baseline's ${p99BoundOf(base)} ms: not compared` };
    if (base && isUnreached(base)) return { ...e, note: "the baseline's criterion was not met: not compared" };
    if (!base || base.mean === 0) return e;
    const { p } = welch(r.samples, base.samples);
    const higherIsBetter = r.better === "higher";
    const verdict = p >= ALPHA ? "same" : r.mean > base.mean === higherIsBetter ? "better" : "worse";
    return { ...e, ratio: r.mean / base.mean, p, verdict };
}

/** Rows in the order metrics first appear; `baseline` is a stack name or "host". */
export function metricsTable(stacks: StackSnapshot[], baseline: string = HOST_BASELINE): MetricRow[] {
    const base = baseline === HOST_BASELINE ? undefined : stacks.find((s) => s.name === baseline);
    if (baseline !== HOST_BASELINE && !base)
        throw new Error(`--baseline ${baseline}: not one of the compared stacks (${stacks.map((s) => s.name).join(", ")}) nor "host"`);
    const names = [...new Set(stacks.flatMap((s) => s.metrics.results.map(key)))];
    return names.map((name) => {
        const found = stacks.map((s) => s.metrics.results.find((r) => key(r) === name));
        const first = found.find((r) => r) as MetricResult;
        return {
            name,
            unit: first.unit,
            better: first.better,
            cells: found.map((r, i) => (r ? compareCell(r, baselineOf(stacks[i], r, base)) : undefined)),
        };
    });
}
