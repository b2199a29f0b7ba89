// How much worse a victim's measurement got beside a stressor, in % of its measurement alone:
// positive is worse whichever way the metric is better (less throughput, or more latency).

export function degradationPct(alone: number, beside: number, better: "higher" | "lower"): number {
    if (!(alone > 0)) throw new Error(`a victim's measurement alone must be positive to compare with, got ${alone}`);
    return better === "higher" ? ((alone - beside) / alone) * 100 : ((beside - alone) / alone) * 100;
}
