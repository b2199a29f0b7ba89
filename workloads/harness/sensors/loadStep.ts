// One step of load at a fixed offered rate, judged end to end: the generator's open-loop run, then
// the database's count of the run's keys (the judge of what was stored), then what is left in the
// queue. A backlog still queued after the drain is purged and reported as such, apart from `lost`.
import * as amqp from "amqplib";
import { closeQuietly, withTimeout } from "./bounded";
import { Client } from "pg";
import { OBSERVATIONS_QUEUE } from "../../guest/common/observation";
import { generateLoad, LoadSpec } from "./generator";
import type { KeyRange } from "./runKeys";

export interface StepResult {
    offeredRate: number;
    durationSeconds: number;
    sent: number;
    stored: number;
    /** Sent, never stored and not in the purged backlog. */
    lost: number;
    /** Still queued after the drain: purged so that the next step starts empty. */
    purged: number;
    /** What the system stored per second while the schedule ran (notices by its end + 1 s). */
    keptUpRate: number;
    /** Stored per second from the first intended time to the last notice. */
    throughput: number;
    backlogGrowing: boolean;
    latencyMs: { p50: number; p95: number; p99: number; p999: number; max: number };
    generatorLagP99Ms: number;
    valid: boolean;
    invalidReason?: string;
    noticed: number;
    republished: number;
    reconnects: number;
    redelivered: number;
    duplicates: number;
    deadLettered: number;
}

export interface Endpoints {
    amqpUrl: string;
    pgUrl: string;
}

/** Rows of the run's key range: the primary key makes a duplicate impossible, so count(*) is what was stored. */
export async function countStored(pgUrl: string, k: KeyRange): Promise<number> {
    const client = new Client({ connectionString: pgUrl, statement_timeout: 120_000, connectionTimeoutMillis: 30_000 });
    await client.connect();
    try {
        const stations = Array.from({ length: k.stations }, (_, i) => i);
        const r = await client.query("SELECT count(*)::int AS n FROM observations WHERE station_id = ANY($1::int[]) AND seq >= $2 AND seq < $3", [
            stations,
            k.seqBase,
            k.seqBase + k.perStation,
        ]);
        return r.rows[0].n;
    } finally {
        await client.end();
    }
}

/** Empties the observations queue; returns how many messages it held. */
export async function purgeBacklog(amqpUrl: string): Promise<number> {
    const conn = await amqp.connect(amqpUrl, { timeout: 30_000 });
    try {
        const ch = await conn.createChannel();
        const { messageCount } = await withTimeout(ch.purgeQueue(OBSERVATIONS_QUEUE), 60_000, "the broker did not purge the backlog in 60 s");
        return messageCount;
    } finally {
        await closeQuietly(conn);
    }
}

/**
 * Backlog growth from the schedule's middle to its end beyond this share of what was offered in the
 * second half counts as growing, or beyond what is offered in `jitterMs` when that is more: a
 * latency that wanders by that much (emulated guests) is noise, not overload.
 */
const GROWTH_TOLERANCE = 0.02;

export async function runLoadStep(env: Endpoints, spec: Omit<LoadSpec, "amqpUrl"> & { jitterMs?: number }): Promise<StepResult> {
    // The whole run is bounded: schedule, drain, one reconnection and a margin; past that it fails, naming the rate.
    const limitMs = (spec.durationSeconds + spec.drainSeconds + 600 + 120) * 1000;
    const r = await withTimeout(
        generateLoad({ ...spec, amqpUrl: env.amqpUrl, storedCount: (k) => countStored(env.pgUrl, k) }),
        limitMs,
        `a load run at ${spec.rate} obs/s did not end in ${limitMs / 1000} s`,
    );
    let stored = await countStored(env.pgUrl, r.keys);
    let purged = 0;
    if (stored < r.sent) {
        purged = await purgeBacklog(env.amqpUrl);
        // What the workers held unacked is committed or returned by now; count again.
        await new Promise((res) => setTimeout(res, 2000));
        stored = await countStored(env.pgUrl, r.keys);
    }
    const offeredInHalf = (spec.rate * spec.durationSeconds) / 2;
    return {
        offeredRate: spec.rate,
        durationSeconds: spec.durationSeconds,
        sent: r.sent,
        stored,
        lost: Math.max(0, r.sent - stored - purged),
        purged,
        keptUpRate: r.keptUpRate,
        throughput: stored / Math.max(r.elapsedSeconds, spec.durationSeconds),
        backlogGrowing: r.backlogAtEnd - r.backlogAtHalf > Math.max(GROWTH_TOLERANCE * offeredInHalf, (spec.rate * (spec.jitterMs ?? 0)) / 1000),
        latencyMs: {
            p50: r.latency.percentileMs(50),
            p95: r.latency.percentileMs(95),
            p99: r.latency.percentileMs(99),
            p999: r.latency.percentileMs(99.9),
            max: r.latency.maxMs(),
        },
        generatorLagP99Ms: r.lag.percentileMs(99),
        valid: r.valid,
        invalidReason: r.invalidReason,
        noticed: r.noticed,
        republished: r.republished,
        reconnects: r.reconnects,
        redelivered: r.redelivered,
        duplicates: r.duplicates,
        deadLettered: r.deadLettered,
    };
}
