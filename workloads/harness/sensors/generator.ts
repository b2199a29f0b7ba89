// Sensor-network load generator, open loop: N stations x M sensors publish observations at a
// constant total rate against a schedule (schedule.ts). Each observation carries its intended time
// as its timestamp; latency runs from that intended time to the worker's "stored" notice (sent after
// the commit), on this process's clock alone. Publisher confirms are tracked in a sliding window;
// what the broker has not confirmed when a connection drops is published again after reconnecting.
// The generator's own lateness (time it was late while nothing held it back) is recorded: a run
// whose generator could not keep its schedule is marked invalid.
import * as amqp from "amqplib";
import { closeQuietly } from "./bounded";
import { Observation, OBSERVATIONS_QUEUE, sensorUnit, StoredNotice, STORED_EXCHANGE } from "../../guest/common/observation";
import { LatencyHistogram } from "./latencyHistogram";
import { NoticeLedger } from "./noticeLedger";
import { KeyRange, keyOf, newKeyRange } from "./runKeys";
import { OpenLoopSchedule } from "./schedule";

export interface LoadSpec {
    amqpUrl: string;
    runId: string;
    stations: number;
    sensorsPerStation: number;
    /** Total observations per second. */
    rate: number;
    durationSeconds: number;
    /** How long to wait for the last notices after publishing ends. */
    drainSeconds: number;
    /** Unconfirmed publishes allowed at once (default 1,000). */
    confirmWindow?: number;
    /** How late after the schedule's end a stored notice still counts as kept up (default 1,000 ms). */
    keptUpGraceMs?: number;
    /** The generator's own p99 lateness above which the run is invalid (default 100 ms). */
    lagBoundMs?: number;
    /** The database's count of the run's keys: the drain asks it once notices may have been lost (after a reconnect). */
    storedCount?: (keys: KeyRange) => Promise<number>;
    /** Called once, at this fraction of the schedule (fault injection). */
    during?: { atFraction: number; action: () => Promise<void> }[];
}

export interface LoadResult {
    /** Observations published and confirmed by the broker. */
    sent: number;
    /** Publishes repeated after a lost connection (the broker had not confirmed them). */
    republished: number;
    reconnects: number;
    /** Observations whose stored notice arrived. */
    noticed: number;
    /** What the workers reported for this run's batches. */
    redelivered: number;
    duplicates: number;
    deadLettered: number;
    /** Intended time → stored notice. */
    latency: LatencyHistogram;
    /** The generator's own lateness per publish. */
    lag: LatencyHistogram;
    /** False when the generator could not keep its schedule: the run measures the generator, not the system. */
    valid: boolean;
    invalidReason?: string;
    /** Seconds from the first intended time to the last notice. */
    elapsedSeconds: number;
    /** Stored notices by the end of the schedule plus one second, per second of schedule: the rate the system kept up with. */
    keptUpRate: number;
    /** Published but not yet noticed, at the schedule's middle and at its end: a growing backlog means overload. */
    backlogAtHalf: number;
    backlogAtEnd: number;
    keys: KeyRange;
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Nothing confirmed for this long while publishes wait: the broker is stuck, the run fails. */
const STALL_SECONDS = 60;
/** A broker restarted under emulation takes minutes to accept connections again (Erlang's JIT under TCG). */
const RECONNECT_SECONDS = 600;

export async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
    const total = spec.rate * spec.durationSeconds;
    const window = spec.confirmWindow ?? 1000;
    const lagBoundMs = spec.lagBoundMs ?? 100;
    const keys = newKeyRange(spec.stations, total);
    const ledger = new NoticeLedger(keys, total);
    const lag = new LatencyHistogram();
    const unconfirmed = new Map<number, Buffer>();
    const tally = { republished: 0, reconnects: 0 };
    let failure: Error | undefined;
    let wake: () => void = () => undefined;
    const progress = () => wake();

    let schedule: OpenLoopSchedule | undefined;
    const epochAtStart = Date.now();

    const onNotice = (msg: amqp.ConsumeMessage | null) => {
        if (!msg || !schedule) return;
        const s = schedule;
        ledger.record(JSON.parse(msg.content.toString()) as StoredNotice, nowMs(), (i) => s.intendedMs(i));
    };

    // One connection at a time; a lost one is replaced and what it left unconfirmed is sent again.
    let ch: amqp.ConfirmChannel | undefined;
    let conn: amqp.ChannelModel | undefined;
    let closing = false;
    const publish = (i: number, body: Buffer) => {
        unconfirmed.set(i, body);
        const ok = ch!.publish("", OBSERVATIONS_QUEUE, body, { persistent: true, contentType: "application/json" }, (err) => {
            if (!err) unconfirmed.delete(i);
            progress();
        });
        return ok;
    };
    const open = async () => {
        const deadline = Date.now() + RECONNECT_SECONDS * 1000;
        for (let delay = 250; ; delay = Math.min(delay * 2, 4000)) {
            // The run ended while the broker was away: nothing to reconnect for, and a connection
            // opened now would outlive the run (and keep its process alive).
            if (closing) return;
            try {
                const opened = await amqp.connect(spec.amqpUrl, { timeout: 30_000 });
                if (closing) return closeQuietly(opened);
                conn = opened;
                break;
            } catch (err) {
                if (Date.now() > deadline) throw new Error(`broker unreachable for ${RECONNECT_SECONDS} s: ${err}`);
                await sleep(delay);
            }
        }
        conn.on("error", () => undefined);
        conn.on("blocked", (reason: string) => {
            failure = new Error(
                `the broker raised a resource alarm and blocked publishing (${reason}): free memory or disk on the broker guest, or lower benchmark.rate`,
            );
            progress();
        });
        conn.on("close", () => {
            ch = undefined;
            if (closing) return;
            tally.reconnects++;
            open().catch((err) => ((failure = err), progress()));
        });
        const c = await conn.createConfirmChannel();
        await c.assertQueue(OBSERVATIONS_QUEUE, { durable: true });
        await c.assertExchange(STORED_EXCHANGE, "fanout", { durable: false });
        const notices = await c.assertQueue("", { exclusive: true, autoDelete: true });
        await c.bindQueue(notices.queue, STORED_EXCHANGE, "");
        await c.consume(notices.queue, onNotice, { noAck: true });
        c.on("drain", progress);
        ch = c;
        const again = [...unconfirmed.entries()].sort((a, b) => a[0] - b[0]);
        tally.republished += again.length;
        for (const [i, body] of again) publish(i, body);
        progress();
    };

    /** Waits for a confirm, a drained socket or a new connection; a connected broker that confirms nothing for STALL_SECONDS fails the run. */
    const waitForProgress = async () => {
        let timer: NodeJS.Timeout | undefined;
        const limit = ch ? STALL_SECONDS : RECONNECT_SECONDS + 10;
        await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(() => {
                failure ??= new Error(`the broker ${ch ? "confirmed nothing" : "was not back"} for ${limit} s (${unconfirmed.size} publishes waiting)`);
                resolve();
            }, limit * 1000);
        });
        clearTimeout(timer);
        if (failure) throw failure;
    };

    try {
        await open();
        schedule = new OpenLoopSchedule(spec.rate, total, nowMs() + 20);
        const faults = [...(spec.during ?? [])].sort((a, b) => a.atFraction - b.atFraction);
        const faultsDone: Promise<void>[] = [];
        let next = 0;
        // keptUp stays -1 when every notice arrived before its moment came.
        const snapshot = { half: 0, end: 0, keptUp: -1 };
        const half = setTimeout(() => (snapshot.half = next - ledger.noticed), spec.durationSeconds * 500);
        const end = setTimeout(() => (snapshot.end = next - ledger.noticed), spec.durationSeconds * 1000);
        const keptUp = setTimeout(() => (snapshot.keptUp = ledger.noticed), spec.durationSeconds * 1000 + (spec.keptUpGraceMs ?? 1000));
        let heldUntil = 0;
        let socketFull = false;
        while (next < total) {
            if (failure) throw failure;
            // A fault runs beside the load, as a real one would: the schedule does not wait for it.
            if (faults.length && next >= faults[0].atFraction * total) faultsDone.push(faults.shift()!.action());
            const due = schedule.dueBy(nowMs());
            while (next < due && !failure) {
                if (!ch || socketFull || unconfirmed.size >= window) {
                    await waitForProgress();
                    socketFull = false;
                    heldUntil = nowMs();
                    continue;
                }
                const intended = schedule.intendedMs(next);
                const [station, seq] = keyOf(next, keys);
                const sensor = Math.floor(next / spec.stations) % spec.sensorsPerStation;
                const obs: Observation = {
                    station,
                    sensor,
                    seq,
                    ts: epochAtStart + (intended - schedule.startMs) + 20,
                    unit: sensorUnit(sensor),
                    run: spec.runId,
                    value: 20 + 5 * Math.sin(seq / 50 + station) + Math.random(),
                };
                socketFull = !publish(next, Buffer.from(JSON.stringify(obs)));
                lag.record(nowMs() - Math.max(intended, heldUntil));
                next++;
            }
            const wait = schedule.intendedMs(next) - nowMs();
            if (wait > 1) await sleep(Math.min(wait, 5));
            else await new Promise((r) => setImmediate(r));
        }
        while (unconfirmed.size > 0) await waitForProgress();
        await Promise.all(faultsDone);

        const drainUntil = nowMs() + spec.drainSeconds * 1000;
        let askAt = 0;
        while (ledger.noticed < total && nowMs() < drainUntil && !failure) {
            await sleep(50);
            // Notices sent while this generator was reconnecting are gone; the database still knows.
            if (tally.reconnects > 0 && spec.storedCount && nowMs() >= askAt) {
                askAt = nowMs() + 1000;
                if ((await spec.storedCount(keys)) >= total) break;
            }
        }
        if (failure) throw failure;
        for (const t of [half, end, keptUp]) clearTimeout(t);
        if (snapshot.keptUp < 0) snapshot.keptUp = ledger.noticed;
        const lagP99 = lag.percentileMs(99);
        const valid = !(lagP99 > lagBoundMs);
        return {
            sent: total,
            republished: tally.republished,
            reconnects: tally.reconnects,
            noticed: ledger.noticed,
            redelivered: ledger.redelivered,
            duplicates: ledger.duplicates,
            deadLettered: ledger.deadLettered,
            latency: ledger.latency,
            lag,
            valid,
            invalidReason: valid ? undefined : `the generator ran late: p99 ${lagP99.toFixed(1)} ms behind its schedule (bound ${lagBoundMs} ms)`,
            elapsedSeconds: ((ledger.lastNoticeMs || nowMs()) - schedule.startMs) / 1000,
            keptUpRate: snapshot.keptUp / spec.durationSeconds,
            backlogAtHalf: snapshot.half,
            backlogAtEnd: snapshot.end,
            keys,
        };
    } finally {
        closing = true;
        // A close the broker never answers must not hold the run.
        await closeQuietly(conn);
    }
}
