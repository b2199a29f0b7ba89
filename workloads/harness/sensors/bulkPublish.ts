// Publishes N observations as fast as the broker confirms them, from several publishers at once
// (the thesis's publish experiment used 8 threads): each publisher has its own connection and a
// sliding window of unconfirmed messages.
import * as amqp from "amqplib";
import { closeQuietly, withTimeout } from "./bounded";
import { Observation, sensorUnit } from "../../guest/common/observation";
import { KeyRange, keyOf } from "./runKeys";

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export interface BulkSpec {
    amqpUrl: string;
    queue: string;
    observations: number;
    publishers: number;
    runId: string;
    sensorsPerStation: number;
    keys: KeyRange;
    confirmWindow?: number;
}

/** Seconds from the first publish to the last confirm. */
export async function bulkPublish(spec: BulkSpec): Promise<number> {
    const window = spec.confirmWindow ?? 1000;
    const conns = await Promise.all(Array.from({ length: spec.publishers }, () => amqp.connect(spec.amqpUrl, { timeout: 30_000 })));
    try {
        const channels = await Promise.all(conns.map((c) => c.createConfirmChannel()));
        await channels[0].assertQueue(spec.queue, { durable: true });
        const start = nowMs();
        await Promise.all(
            channels.map(async (ch, p) => {
                for (let i = p, n = 0; i < spec.observations; i += spec.publishers, n++) {
                    const [station, seq] = keyOf(i, spec.keys);
                    const sensor = Math.floor(i / spec.keys.stations) % spec.sensorsPerStation;
                    const obs: Observation = { station, sensor, seq, ts: Date.now(), value: 20 + Math.random(), unit: sensorUnit(sensor), run: spec.runId };
                    if (!ch.publish("", spec.queue, Buffer.from(JSON.stringify(obs)), { persistent: true })) await new Promise((r) => ch.once("drain", r));
                    if (n % window === window - 1) await withTimeout(ch.waitForConfirms(), 60_000, "the broker confirmed nothing for 60 s");
                }
                await withTimeout(ch.waitForConfirms(), 60_000, "the broker confirmed nothing for 60 s");
            }),
        );
        return (nowMs() - start) / 1000;
    } finally {
        await Promise.all(conns.map(closeQuietly));
    }
}
