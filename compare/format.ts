import { estimate } from "./statistics";

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
