// Statistics of repeated measurements, as the metrics contract (virt-testbed/metrics@2) wants them.

export interface Summary {
    n: number;
    mean: number;
    /** Sample standard deviation (n - 1); 0 for a single sample. */
    stddev: number;
    min: number;
    max: number;
}

export function summarize(samples: number[]): Summary {
    if (samples.length === 0) throw new Error("no samples to summarize");
    const n = samples.length;
    const mean = samples.reduce((a, b) => a + b, 0) / n;
    const variance = n > 1 ? samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
    return { n, mean, stddev: Math.sqrt(variance), min: Math.min(...samples), max: Math.max(...samples) };
}

/** Percentile by linear interpolation between closest ranks (p in 0..100). */
export function percentile(values: number[], p: number): number {
    if (values.length === 0) throw new Error("no values for a percentile");
    const sorted = [...values].sort((a, b) => a - b);
    const rank = (p / 100) * (sorted.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}
