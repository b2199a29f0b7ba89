import { estimate } from "./statistics";
import type { StackSnapshot } from "./snapshot";

/** Numbers with three significant figures, plain below a million. */
export function num(v: number | undefined): string {
    if (v === undefined || Number.isNaN(v)) return "—";
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (a === 0) return "0";
    if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
    return Number(v.toPrecision(3)).toString();
}

/** A measurement's samples as "mean ± 95 % CI half-width" (the mean alone below two samples). */
export function meanCi(samples: number[], fmt: (v: number) => string = num): string {
    const e = estimate(samples);
    return `${fmt(e.mean)}${Number.isNaN(e.ci95) ? "" : ` ± ${num(e.ci95)}`}`;
}

/** The counts a sweep measured (`workers_<k>.…`, `guests_<k>.…`): the k of each of a benchmark's metrics that `pattern` captures. */
export function sweptCounts(s: StackSnapshot, benchmark: string, pattern: RegExp): number[] {
    return s.metrics.results
        .filter((r) => r.benchmark === benchmark)
        .map((r) => pattern.exec(r.metric)?.[1])
        .filter((k): k is string => k !== undefined)
        .map(Number);
}
