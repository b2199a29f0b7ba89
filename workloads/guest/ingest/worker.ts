// Ingest worker: consumes observations, stores them in batches (several in flight), acks in
// delivery order only after each commit, then publishes a "stored" notice with what it saw:
// the keys, how many were redeliveries and how many were already stored. Idempotent on
// (station, seq). A message that cannot be stored goes to the dead-letter queue, counted; a lost
// broker or database ends the process and its supervisor restarts it (the broker redelivers what
// was not acked).
import * as amqp from "amqplib";
import * as fs from "fs";
import { Pool } from "pg";
import { DEAD_LETTER_QUEUE, isObservation, Observation, OBSERVATIONS_QUEUE, STORED_EXCHANGE, StoredNotice, storedNotice } from "../common/observation";

const AMQP_URL = required("AMQP_URL");
const PG_URL = required("PG_URL");
const BATCH_SIZE = Number(process.env.BATCH_SIZE || 500);
const BATCH_MS = Number(process.env.BATCH_MS || 10);
const PREFETCH = Number(process.env.PREFETCH || 2000);
/** Batches stored at once: while one commits (fsync), the next is already on its way. */
const IN_FLIGHT = Number(process.env.IN_FLIGHT || 3);
const CONNECT_SECONDS = Number(process.env.CONNECT_SECONDS || 120);

function required(name: string): string {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
}

// Timestamps travel as epoch milliseconds and are converted by the server, not formatted per row.
const INSERT = `INSERT INTO observations (station_id, seq, sensor_id, observed_at, value, unit, run_id)
SELECT s, q, n, to_timestamp(t / 1000.0), v, u, r
FROM unnest($1::int[], $2::bigint[], $3::int[], $4::float8[], $5::float8[], $6::text[], $7::text[]) AS x(s, q, n, t, v, u, r)
ON CONFLICT (station_id, seq) DO NOTHING`;

/** Stores a batch; returns how many rows were new (the rest were already stored: duplicates). */
async function store(pool: Pool, batch: Observation[]): Promise<number> {
    const r = await pool.query(INSERT, [
        batch.map((o) => o.station),
        batch.map((o) => o.seq),
        batch.map((o) => o.sensor),
        batch.map((o) => o.ts),
        batch.map((o) => o.value),
        batch.map((o) => o.unit),
        batch.map((o) => o.run),
    ]);
    return r.rowCount ?? 0;
}

/** A server's refusal of the data (SQLSTATE class 22 data exception, 23 integrity), not a lost connection. */
function isDataError(err: unknown): boolean {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" && (code.startsWith("22") || code.startsWith("23"));
}

async function connectWithRetry(): Promise<amqp.ChannelModel> {
    const deadline = Date.now() + CONNECT_SECONDS * 1000;
    for (let delay = 500; ; delay = Math.min(delay * 2, 5000)) {
        try {
            return await amqp.connect(AMQP_URL);
        } catch (err) {
            if (Date.now() > deadline) throw err;
            console.error(`broker not reachable (${err}); retrying in ${delay} ms`);
            await new Promise((r) => setTimeout(r, delay));
        }
    }
}

interface Delivery {
    msg: amqp.ConsumeMessage;
    obs?: Observation;
}

async function main(): Promise<void> {
    const pool = new Pool({ connectionString: PG_URL, max: IN_FLIGHT });
    const conn = await connectWithRetry();
    conn.on("close", () => fail("broker connection closed"));
    conn.on("error", (err) => console.error(`broker: ${err}`));
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(OBSERVATIONS_QUEUE, { durable: true });
    await ch.assertQueue(DEAD_LETTER_QUEUE, { durable: true });
    await ch.assertExchange(STORED_EXCHANGE, "fanout", { durable: false });
    await ch.prefetch(PREFETCH);

    const deadLetter = (d: Delivery, reason: string) =>
        ch.publish("", DEAD_LETTER_QUEUE, d.msg.content, { persistent: true, headers: { "x-vtb-reason": reason.slice(0, 200) } });

    /** Stores what can be stored; what the database refuses row by row goes to the dead-letter queue. */
    async function storeBatch(batch: Delivery[]): Promise<StoredNotice> {
        const good = batch.filter((d) => d.obs);
        for (const d of batch) if (!d.obs) deadLetter(d, "not an observation");
        let inserted = 0;
        const refused = new Set<Delivery>();
        try {
            inserted = await store(
                pool,
                good.map((d) => d.obs!),
            );
        } catch (err) {
            if (!isDataError(err)) throw err;
            for (const d of good) {
                try {
                    inserted += await store(pool, [d.obs!]);
                } catch (rowErr) {
                    if (!isDataError(rowErr)) throw rowErr;
                    deadLetter(d, String(rowErr));
                    refused.add(d);
                }
            }
        }
        if (good.length < batch.length || refused.size > 0) await ch.waitForConfirms();
        return storedNotice(
            batch.map((d) => ({ redelivered: d.msg.fields.redelivered, key: d.obs && [d.obs.station, d.obs.seq], refused: refused.has(d) })),
            inserted,
        );
    }

    let pending: Delivery[] = [];
    let inFlight = 0;
    let acked: Promise<void> = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;

    // Inserts run concurrently; acks (multiple=true) are chained so that they go out in delivery order.
    const flush = () => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        if (pending.length === 0 || inFlight >= IN_FLIGHT) return;
        const batch = pending;
        pending = [];
        inFlight++;
        const stored = storeBatch(batch);
        acked = acked
            .then(() => stored)
            .then((notice) => {
                ch.ack(batch[batch.length - 1].msg, true);
                ch.publish(STORED_EXCHANGE, "", Buffer.from(JSON.stringify(notice)));
            })
            .catch((err) => fail(`batch of ${batch.length} not stored: ${err}`))
            .finally(() => {
                inFlight--;
                flush();
            });
    };

    await ch.consume(OBSERVATIONS_QUEUE, (msg) => {
        if (!msg) return fail("consumer cancelled by the broker");
        let obs: unknown;
        try {
            obs = JSON.parse(msg.content.toString());
        } catch {
            obs = undefined;
        }
        pending.push({ msg, obs: isObservation(obs) ? obs : undefined });
        if (pending.length >= BATCH_SIZE) flush();
        else if (!timer) timer = setTimeout(flush, BATCH_MS);
    });
    // The PID file says "ready": the setup and the drain test wait for it.
    if (process.env.PID_FILE) fs.writeFileSync(process.env.PID_FILE, `${process.pid}\n`);
    console.log(
        `ingest worker ${process.pid} consuming ${OBSERVATIONS_QUEUE} (batch ${BATCH_SIZE}, ${BATCH_MS} ms, ${IN_FLIGHT} in flight, prefetch ${PREFETCH})`,
    );
}

/** Ends the process: what was not acked goes back to the queue, and the supervisor starts a new worker. */
function fail(reason: string): never {
    console.error(`ingest worker ${process.pid} exits: ${reason}`);
    process.exit(1);
}

main().catch((err) => fail(String(err)));
