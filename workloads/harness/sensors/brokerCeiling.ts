// Broker-only mode: how many persistent observations per second the broker moves end to end with
// the pipeline's own delivery guarantees: durable queue, persistent messages, publisher confirms in
// a sliding window, one consumer acking each message manually (prefetch 500). The publisher keeps
// the window full; after a warm-up, the rate is what the consumer acked in the measured window.
// The pipeline is judged against this ceiling measured in the same run.
import * as amqp from "amqplib";

const QUEUE = "ceiling";
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export interface CeilingSpec {
    warmupSeconds: number;
    seconds: number;
    confirmWindow?: number;
    prefetch?: number;
}

/** What the figure means, for its params in the outputs. */
export const CEILING_SEMANTICS = "persistent, durable queue, publisher confirms (sliding window), one consumer with manual acks";

export async function brokerCeiling(amqpUrl: string, spec: CeilingSpec): Promise<{ rate: number; consumed: number; seconds: number }> {
    const window = spec.confirmWindow ?? 1000;
    const conn = await amqp.connect(amqpUrl, { timeout: 30_000 });
    let failure: Error | undefined;
    conn.on("blocked", (reason: string) => (failure = new Error(`the broker raised a resource alarm during the ceiling run (${reason})`)));
    try {
        const pub = await conn.createConfirmChannel();
        const sub = await conn.createChannel();
        await pub.assertQueue(QUEUE, { durable: true });
        await pub.purgeQueue(QUEUE);
        await sub.prefetch(spec.prefetch ?? 500);
        let consumed = 0;
        await sub.consume(QUEUE, (msg) => {
            if (!msg) return;
            sub.ack(msg);
            consumed++;
        });
        const body = Buffer.from(JSON.stringify({ station: 1, sensor: 0, seq: 0, ts: Date.now(), value: 21.5, unit: "degC", run: "ceiling" }));
        const start = nowMs();
        const measureFrom = start + spec.warmupSeconds * 1000;
        const end = measureFrom + spec.seconds * 1000;
        let inFlight = 0;
        let lastConfirm = nowMs();
        let atMeasureStart: number | undefined;
        let wake: () => void = () => undefined;
        while (nowMs() < end) {
            if (failure) throw failure;
            if (atMeasureStart === undefined && nowMs() >= measureFrom) atMeasureStart = consumed;
            if (inFlight >= window) {
                if (nowMs() - lastConfirm > 30_000) throw new Error("the broker confirmed nothing for 30 s in the ceiling run");
                await new Promise<void>((r) => {
                    wake = r;
                    setTimeout(r, 100);
                });
                continue;
            }
            inFlight++;
            const ok = pub.publish("", QUEUE, body, { persistent: true }, () => {
                inFlight--;
                lastConfirm = nowMs();
                wake();
            });
            if (!ok) await new Promise((r) => pub.once("drain", r));
        }
        const seconds = (nowMs() - measureFrom) / 1000;
        const measured = consumed - (atMeasureStart ?? 0);
        await pub.deleteQueue(QUEUE);
        return { rate: measured / seconds, consumed: measured, seconds };
    } finally {
        await conn.close().catch(() => undefined);
    }
}
