/** Numbers with three significant figures, plain below a million. */
export function num(v: number | undefined): string {
    if (v === undefined || Number.isNaN(v)) return "—";
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (a === 0) return "0";
    if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
    return Number(v.toPrecision(3)).toString();
}
