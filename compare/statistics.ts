// Statistics for comparing repeated measurements: Student-t confidence intervals and Welch's
// unequal-variance t-test. Self-contained (no numeric library on npm we trust more for this).

/** ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0. */
function lnGamma(x: number): number {
    const c = [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
        9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
    if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
    x -= 1;
    let a = c[0];
    const t = x + 7.5;
    for (let i = 1; i < 9; i++) a += c[i] / (x + i);
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
    const tiny = 1e-300;
    let c = 1;
    let d = 1 - ((a + b) * x) / (a + 1);
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    let h = d;
    for (let m = 1; m <= 300; m++) {
        const m2 = 2 * m;
        for (const num of [(m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
            d = 1 + num * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + num / c;
            if (Math.abs(c) < tiny) c = tiny;
            h *= d * c;
        }
        if (Math.abs(d * c - 1) < 1e-14) break;
    }
    return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
    return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(x, a, b)) / a : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Two-sided p-value of a Student t statistic with df degrees of freedom. */
export function tTwoSidedP(t: number, df: number): number {
    if (!Number.isFinite(t)) return 0;
    return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** Critical t for a two-sided confidence level (0.95 → t such that P(|T| > t) = 0.05), by bisection. */
export function tCritical(df: number, level = 0.95): number {
    let lo = 0;
    let hi = 1e6;
    for (let i = 0; i < 200; i++) {
        const mid = (lo + hi) / 2;
        if (tTwoSidedP(mid, df) > 1 - level) lo = mid;
        else hi = mid;
    }
    return (lo + hi) / 2;
}

export interface Estimate {
    n: number;
    mean: number;
    stddev: number;
    /** Half-width of the 95 % confidence interval of the mean (Student t, n - 1 df); NaN for n < 2. */
    ci95: number;
}

export function estimate(samples: number[]): Estimate {
    const n = samples.length;
    const mean = samples.reduce((a, b) => a + b, 0) / n;
    const stddev = n > 1 ? Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
    return { n, mean, stddev, ci95: n > 1 ? (tCritical(n - 1) * stddev) / Math.sqrt(n) : NaN };
}

export interface WelchResult {
    t: number;
    df: number;
    p: number;
}

/**
 * Welch's t-test (unequal variances) of two samples' means, two-sided. With no spread on either
 * side, the means are either equal (p = 1) or certainly different (p = 0).
 */
export function welch(a: number[], b: number[]): WelchResult {
    const ea = estimate(a);
    const eb = estimate(b);
    const va = ea.stddev ** 2 / ea.n;
    const vb = eb.stddev ** 2 / eb.n;
    if (va + vb === 0) return { t: ea.mean === eb.mean ? 0 : Infinity, df: ea.n + eb.n - 2, p: ea.mean === eb.mean ? 1 : 0 };
    const t = (ea.mean - eb.mean) / Math.sqrt(va + vb);
    const df = (va + vb) ** 2 / ((ea.n > 1 ? va ** 2 / (ea.n - 1) : 0) + (eb.n > 1 ? vb ** 2 / (eb.n - 1) : 0));
    return { t, df, p: tTwoSidedP(t, df) };
}
