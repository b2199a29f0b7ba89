// Sensor-network load generator: N stations x M sensors publishing observations at a fixed total
// rate with publisher confirms. End-to-end latency is timed on this process's clock alone: from
// publish to the worker's "stored" notice (sent after the database commit).
import * as amqp from "amqplib";
import { Observation, OBSERVATIONS_QUEUE, sensorUnit, StoredNotice, STORED_EXCHANGE } from "../../guest/common/observation";

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
}

export interface LoadResult {
    sent: number;
    /** Observations whose stored notice arrived. */
    noticed: number;
    /** Notices for keys already noticed (redeliveries). */
    redelivered: number;
    latenciesMs: number[];
    /** Seconds from the first publish to the last notice. */
    elapsedSeconds: number;
    /** Stations and their sequence range, to count what the database holds. */
    seqBase: number;
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
    const conn = await amqp.connect(spec.amqpUrl);
    try {
        const ch = await conn.createConfirmChannel();
        await ch.assertQueue(OBSERVATIONS_QUEUE, { durable: true });
        await ch.assertExchange(STORED_EXCHANGE, "fanout", { durable: false });
        const notices = await ch.assertQueue("", { exclusive: true, autoDelete: true });
        await ch.bindQueue(notices.queue, STORED_EXCHANGE, "");

        const sentAt = new Map<string, number>();
        const seen = new Set<string>();
        const latenciesMs: number[] = [];
        let redelivered = 0;
        let lastNotice = 0;
        await ch.consume(
            notices.queue,
            (msg) => {
                if (!msg) return;
                const t = nowMs();
                const body = JSON.parse(msg.content.toString()) as StoredNotice;
                for (const [station, seq] of body.keys) {
                    const key = `${station}:${seq}`;
                    const at = sentAt.get(key);
                    if (at !== undefined) {
                        latenciesMs.push(t - at);
                        sentAt.delete(key);
                        seen.add(key);
                        lastNotice = t;
                    } else if (seen.has(key)) redelivered++;
                }
            },
            { noAck: true },
        );

        // Sequence numbers grow across runs, as a real station's counter does.
        const seqBase = Date.now() * 1000;
        const total = spec.rate * spec.durationSeconds;
        const start = nowMs();
        let sent = 0;
        while (sent < total) {
            const due = Math.min(total, Math.floor(((nowMs() - start) / 1000) * spec.rate) + 1);
            for (; sent < due; sent++) {
                const station = sent % spec.stations;
                const seq = seqBase + Math.floor(sent / spec.stations);
                const sensor = Math.floor(sent / spec.stations) % spec.sensorsPerStation;
                const obs: Observation = {
                    station,
                    sensor,
                    seq,
                    ts: Date.now(),
                    unit: sensorUnit(sensor),
                    run: spec.runId,
                    value: 20 + 5 * Math.sin(seq / 50 + station) + Math.random(),
                };
                sentAt.set(`${station}:${seq}`, nowMs());
                ch.publish("", OBSERVATIONS_QUEUE, Buffer.from(JSON.stringify(obs)), { persistent: true, contentType: "application/json" });
                if (sent % 1000 === 999) await ch.waitForConfirms();
            }
            await new Promise((r) => setTimeout(r, 5));
        }
        await ch.waitForConfirms();

        const drainUntil = nowMs() + spec.drainSeconds * 1000;
        while (sentAt.size > 0 && nowMs() < drainUntil) await new Promise((r) => setTimeout(r, 50));
        await ch.close();
        return { sent, noticed: latenciesMs.length, redelivered, latenciesMs, elapsedSeconds: ((lastNotice || nowMs()) - start) / 1000, seqBase };
    } finally {
        await conn.close().catch(() => undefined);
    }
}
