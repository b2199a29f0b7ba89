// Ingest worker: consumes observations, stores them in batches, acks only after the commit, then
// publishes a "stored" notice. Idempotent on (station, seq): a redelivery never duplicates a row,
// and a crash before the ack loses nothing (the broker redelivers).
import * as amqp from "amqplib";
import { Pool } from "pg";
import { isObservation, Observation, OBSERVATIONS_QUEUE, STORED_EXCHANGE } from "../common/observation";

const AMQP_URL = required("AMQP_URL");
const PG_URL = required("PG_URL");
const BATCH_SIZE = Number(process.env.BATCH_SIZE || 200);
const BATCH_MS = Number(process.env.BATCH_MS || 20);
const PREFETCH = Number(process.env.PREFETCH || 1000);

function required(name: string): string {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
}

const INSERT = `INSERT INTO observations (station_id, seq, sensor_id, observed_at, value, unit, run_id)
SELECT * FROM unnest($1::int[], $2::bigint[], $3::int[], $4::timestamptz[], $5::float8[], $6::text[], $7::text[])
ON CONFLICT (station_id, seq) DO NOTHING`;

async function store(pool: Pool, batch: Observation[]): Promise<void> {
    await pool.query(INSERT, [
        batch.map((o) => o.station),
        batch.map((o) => o.seq),
        batch.map((o) => o.sensor),
        batch.map((o) => new Date(o.ts).toISOString()),
        batch.map((o) => o.value),
        batch.map((o) => o.unit),
        batch.map((o) => o.run),
    ]);
}

async function main(): Promise<void> {
    const pool = new Pool({ connectionString: PG_URL, max: 2 });
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    await ch.assertQueue(OBSERVATIONS_QUEUE, { durable: true });
    await ch.assertExchange(STORED_EXCHANGE, "fanout", { durable: false });
    await ch.prefetch(PREFETCH);

    let pending: Array<{ msg: amqp.ConsumeMessage; obs: Observation }> = [];
    let flushing: Promise<void> = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;

    // Batches are flushed one after another, in delivery order, so acking the last message of a
    // batch with multiple=true acknowledges exactly that batch.
    const flush = () => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        const batch = pending;
        pending = [];
        if (batch.length === 0) return;
        flushing = flushing
            .then(async () => {
                await store(
                    pool,
                    batch.map((b) => b.obs),
                );
                ch.ack(batch[batch.length - 1].msg, true);
                const keys = batch.map((b) => [b.obs.station, b.obs.seq]);
                ch.publish(STORED_EXCHANGE, "", Buffer.from(JSON.stringify({ keys })));
            })
            .catch((err) => {
                console.error(`batch of ${batch.length} not stored: ${err}`);
                process.exit(1); // unacked messages go back to the queue
            });
    };

    await ch.consume(OBSERVATIONS_QUEUE, (msg) => {
        if (!msg) return;
        let obs: unknown;
        try {
            obs = JSON.parse(msg.content.toString());
        } catch {
            obs = undefined;
        }
        if (!isObservation(obs)) {
            flush(); // keep acks in order before rejecting this one
            flushing = flushing.then(() => ch.nack(msg, false, false));
            return;
        }
        pending.push({ msg, obs });
        if (pending.length >= BATCH_SIZE) flush();
        else if (!timer) timer = setTimeout(flush, BATCH_MS);
    });
    console.log(`ingest worker consuming ${OBSERVATIONS_QUEUE} (batch ${BATCH_SIZE}, ${BATCH_MS} ms, prefetch ${PREFETCH})`);
    conn.on("close", () => process.exit(1));
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
