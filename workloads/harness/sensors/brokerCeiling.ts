// Broker-only mode: how many persistent observations per second the broker moves with publisher
// confirms (windows of 1,000) and one consumer acking with prefetch 500. The pipeline is judged
// against this ceiling measured in the same run.
import * as amqp from "amqplib";

const QUEUE = "ceiling";
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export async function brokerCeiling(amqpUrl: string, messages: number): Promise<number> {
    const conn = await amqp.connect(amqpUrl);
    try {
        const pub = await conn.createConfirmChannel();
        const sub = await conn.createChannel();
        await pub.assertQueue(QUEUE, { durable: true });
        await pub.purgeQueue(QUEUE);
        await sub.prefetch(500);
        let consumed = 0;
        let done!: () => void;
        const allConsumed = new Promise<void>((r) => (done = r));
        await sub.consume(QUEUE, (msg) => {
            if (!msg) return;
            sub.ack(msg);
            if (++consumed === messages) done();
        });
        const body = Buffer.from(JSON.stringify({ station: 1, sensor: 0, seq: 0, ts: Date.now(), value: 21.5, unit: "degC", run: "ceiling" }));
        const start = nowMs();
        for (let i = 0; i < messages; i++) {
            pub.publish("", QUEUE, body, { persistent: true });
            if (i % 1000 === 999) await pub.waitForConfirms();
        }
        await pub.waitForConfirms();
        await allConsumed;
        const rate = messages / ((nowMs() - start) / 1000);
        await pub.deleteQueue(QUEUE);
        return rate;
    } finally {
        await conn.close().catch(() => undefined);
    }
}
