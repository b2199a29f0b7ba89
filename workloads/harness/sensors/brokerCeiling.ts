// Broker-only mode: how many persistent observations per second the broker moves end to end with
// the pipeline's own delivery guarantees and client shape: durable queue, persistent messages,
// publisher confirms in a sliding window, as many consumers as the pipeline has ingest workers,
// each with the workers' prefetch, acking in batches as they do (manual acks, multiple=true). The
// publisher keeps the window full; after a warm-up, the rate is what the consumers acked in the
// measured window. The pipeline is judged against this ceiling measured in the same run.
import * as amqp from "amqplib";
import { closeQuietly } from "./bounded";

const QUEUE = "ceiling";
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export interface CeilingSpec {
    warmupSeconds: number;
    seconds: number;
    /** The pipeline's ingest workers: one consumer each. */
    consumers: number;
    confirmWindow?: number;
}

/** The workers' prefetch and batch (workloads/guest/ingest/worker.ts defaults). */
const PREFETCH = 2000;
const ACK_EVERY = 500;

/** What the figure means, for its params in the outputs. */
export function ceilingSemantics(spec: CeilingSpec): string {
    return `persistent messages, durable queue, publisher confirms (sliding window ${spec.confirmWindow ?? 1000}), ${spec.consumers} consumer(s) with prefetch ${PREFETCH} acking every ${ACK_EVERY} (multiple)`;
}

export async function brokerCeiling(amqpUrl: string, spec: CeilingSpec): Promise<{ rate: number; consumed: number; seconds: number }> {
    const window = spec.confirmWindow ?? 1000;
    const conn = await amqp.connect(amqpUrl, { timeout: 30_000 });
    let failure: Error | undefined;
    conn.on("blocked", (reason: string) => (failure = new Error(`the broker raised a resource alarm during the ceiling run (${reason})`)));
    let stopTimers = () => undefined as void;
    try {
        const pub = await conn.createConfirmChannel();
        await pub.assertQueue(QUEUE, { durable: true });
        await pub.purgeQueue(QUEUE);
        let consumed = 0;
        const timers = new Set<NodeJS.Timeout>();
        stopTimers = () => timers.forEach(clearTimeout);
        for (let i = 0; i < spec.consumers; i++) {
            const sub = await conn.createChannel();
            await sub.prefetch(PREFETCH);
            let unacked = 0;
            // A short idle timer acks the tail, as a worker's batch timer does.
            let timer: NodeJS.Timeout | undefined;
            await sub.consume(QUEUE, (msg) => {
                if (!msg) return;
                consumed++;
                if (timer) {
                    clearTimeout(timer);
                    timers.delete(timer);
                }
                if (++unacked >= ACK_EVERY) {
                    sub.ack(msg, true);
                    unacked = 0;
                    return;
                }
                timer = setTimeout(() => {
                    timers.delete(timer!);
                    unacked = 0;
                    sub.ack(msg, true);
                }, 10);
                timers.add(timer);
            });
        }
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
        // No tail ack may fire on a closed channel.
        stopTimers();
        await closeQuietly(conn);
    }
}
