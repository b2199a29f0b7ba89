// Latency percentiles from an HDR histogram (Node's perf_hooks histogram, HdrHistogram inside):
// every value is kept at 3 significant digits in constant memory, so p99.9 of a million
// observations costs no sort and no array.
import { createHistogram, RecordableHistogram } from "perf_hooks";

export class LatencyHistogram {
    private readonly h: RecordableHistogram = createHistogram({ lowest: 1, highest: 3_600_000_000, figures: 3 });

    /** Records a latency in milliseconds (kept in microseconds; below 1 µs counts as 1 µs). */
    record(ms: number): void {
        if (!Number.isFinite(ms)) throw new Error(`not a latency: ${ms}`);
        this.h.record(Math.min(3_600_000_000, Math.max(1, Math.round(ms * 1000))));
    }

    get count(): number {
        return this.h.count;
    }

    /** The p-th percentile (0 < p ≤ 100) in ms; NaN when nothing was recorded. */
    percentileMs(p: number): number {
        return this.count === 0 ? NaN : this.h.percentile(p) / 1000;
    }

    maxMs(): number {
        return this.count === 0 ? NaN : this.h.max / 1000;
    }
}
