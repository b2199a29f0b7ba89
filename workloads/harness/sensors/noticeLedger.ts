// What the workers' "stored" notices say about one run: which observations were stored (once
// each, however often a redelivery stores them again), their latency from the intended time, and
// the redeliveries, duplicates and dead letters the workers counted in the run's batches.
import type { StoredNotice } from "../../guest/common/observation";
import { LatencyHistogram } from "./latencyHistogram";
import { indexOf, KeyRange } from "./runKeys";

export class NoticeLedger {
    readonly latency = new LatencyHistogram();
    noticed = 0;
    redelivered = 0;
    duplicates = 0;
    deadLettered = 0;
    lastNoticeMs = 0;
    private readonly seen: Uint8Array;

    constructor(
        private readonly keys: KeyRange,
        total: number,
    ) {
        this.seen = new Uint8Array(total);
    }

    /** Takes one notice received at `atMs`; `intendedMs(i)` is observation i's intended time. Notices of other runs are ignored. */
    record(notice: StoredNotice, atMs: number, intendedMs: (i: number) => number): void {
        let ours = false;
        for (const [station, seq] of notice.keys) {
            const i = indexOf(station, seq, this.keys);
            if (i < 0 || i >= this.seen.length) continue;
            ours = true;
            if (this.seen[i]) continue;
            this.seen[i] = 1;
            this.noticed++;
            this.latency.record(atMs - intendedMs(i));
            this.lastNoticeMs = atMs;
        }
        if (!ours) return;
        this.redelivered += notice.redelivered ?? 0;
        this.duplicates += notice.duplicates ?? 0;
        this.deadLettered += notice.deadLettered ?? 0;
    }
}
