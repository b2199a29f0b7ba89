// The open-loop schedule of a load run: observation i is due at start + i / rate, whatever the
// system under test does. Latency is measured from this intended time, so a stalled system
// cannot hide its stall by slowing the sender (coordinated omission, as wrk2 and YCSB describe it).

export class OpenLoopSchedule {
    constructor(
        /** Observations per second. */
        readonly rate: number,
        readonly total: number,
        /** When observation 0 is due, ms on the generator's monotonic clock. */
        readonly startMs: number,
    ) {
        if (!(rate > 0) || !Number.isInteger(total) || total < 0) throw new Error(`bad schedule: rate ${rate}, total ${total}`);
    }

    /** When observation `i` is due. */
    intendedMs(i: number): number {
        return this.startMs + (i * 1000) / this.rate;
    }

    /** How many observations are due by `nowMs`: those with an intended time at or before it. */
    dueBy(nowMs: number): number {
        if (nowMs < this.startMs) return 0;
        return Math.min(this.total, Math.floor(((nowMs - this.startMs) * this.rate) / 1000) + 1);
    }

    /** When the last observation is due. */
    endMs(): number {
        return this.total === 0 ? this.startMs : this.intendedMs(this.total - 1);
    }
}
