// The thesis's own middleware experiments, as analogs on this stack: publish N observations from 8
// publishers (the broker alone), consume N already queued (the broker alone), and the drain test:
// with the ingest workers stopped, N observations are queued, the workers are started, and the
// time until the database holds all N is measured.
import * as amqp from "amqplib";
import type { BenchmarkModule, Sample, SuiteContext } from "../contract";
import { bulkPublish } from "../sensors/bulkPublish";
import { closeQuietly, withTimeout } from "../sensors/bounded";
import { countStored } from "../sensors/loadStep";
import { KeyRange, newKeyRange } from "../sensors/runKeys";
import { OBSERVATIONS_QUEUE } from "../../guest/common/observation";

const PUBLISHERS = 8;
const ANALOG_QUEUE = "analog";
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Consumes `n` messages already queued with one consumer acking each; seconds taken. */
async function consumeAll(amqpUrl: string, queue: string, n: number, timeoutSeconds: number): Promise<number> {
    const conn = await amqp.connect(amqpUrl, { timeout: 30_000 });
    try {
        const ch = await conn.createChannel();
        await ch.prefetch(500);
        const start = nowMs();
        let consumed = 0;
        let done!: () => void;
        const all = new Promise<void>((r) => (done = r));
        await ch.consume(queue, (msg) => {
            if (!msg) return;
            ch.ack(msg);
            if (++consumed === n) done();
        });
        await withTimeout(all, timeoutSeconds * 1000, `consumed ${consumed} of ${n} queued messages in ${timeoutSeconds} s`);
        const seconds = (nowMs() - start) / 1000;
        await ch.deleteQueue(queue);
        return seconds;
    } finally {
        await closeQuietly(conn);
    }
}

/** Stops the ingest workers (their supervisors end them) and waits until none runs. */
const STOP_WORKERS = `for p in $(cat /run/vtb-ingest.pids); do kill $p 2>/dev/null || true; done
i=0
while :; do
  alive=0
  for f in /run/vtb-ingest-*.pid; do [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && alive=1; done
  [ $alive -eq 0 ] && break
  i=$((i + 1)); [ $i -le 100 ] || { echo "ingest workers still running after 10 s" >&2; exit 1; }
  sleep 0.1
done`;
const START_WORKERS = "sh /etc/vtb/services.d/30-ingest.sh";

async function waitStored(pgUrl: string, keys: KeyRange, n: number, timeoutSeconds: number): Promise<void> {
    const deadline = nowMs() + timeoutSeconds * 1000;
    for (;;) {
        const stored = await countStored(pgUrl, keys);
        if (stored >= n) return;
        if (nowMs() > deadline) throw new Error(`drain test: ${stored} of ${n} observations stored after ${timeoutSeconds} s`);
        await new Promise((r) => setTimeout(r, 250));
    }
}

export function analogsRun(ctx: SuiteContext) {
    const c = ctx.config;
    const n = c.analogObservations;
    const timeout = 600 + n / 10;
    const ingest = ctx.guest("ingest");
    let runs = 0;
    const keysFor = () => newKeyRange(c.stations, n);
    return {
        async run(): Promise<Sample[]> {
            const base = { amqpUrl: ctx.endpoints.amqpUrl, observations: n, sensorsPerStation: c.sensorsPerStation };
            const publishSeconds = await bulkPublish({
                ...base,
                queue: ANALOG_QUEUE,
                publishers: PUBLISHERS,
                runId: `${ctx.stack}-analog-${++runs}`,
                keys: keysFor(),
            });
            const consumeSeconds = await consumeAll(ctx.endpoints.amqpUrl, ANALOG_QUEUE, n, timeout);

            const keys = keysFor();
            await ingest.exec(STOP_WORKERS, 120);
            try {
                await bulkPublish({ ...base, queue: OBSERVATIONS_QUEUE, publishers: PUBLISHERS, runId: `${ctx.stack}-drain-${runs}`, keys });
            } finally {
                await ingest.exec(START_WORKERS, 120);
            }
            const start = nowMs();
            await waitStored(ctx.endpoints.pgUrl, keys, n, timeout);
            const drainSeconds = (nowMs() - start) / 1000;

            const params = { observations: n, publishers: PUBLISHERS };
            const s = (quantity: string, value: number, unit: string, better: Sample["better"]): Sample => ({
                quantity,
                subject: "system",
                value,
                unit,
                better,
                params,
            });
            return [
                s("publish_seconds", publishSeconds, "s", "lower"),
                s("publish_rate", n / publishSeconds, "msg/s", "higher"),
                s("consume_seconds", consumeSeconds, "s", "lower"),
                s("consume_rate", n / consumeSeconds, "msg/s", "higher"),
                s("drain_seconds", drainSeconds, "s", "lower"),
                s("drain_rate", n / drainSeconds, "obs/s", "higher"),
            ];
        },
    };
}

export const analogsBenchmark: BenchmarkModule<"analogs"> = {
    name: "analogs",
    description:
        "the thesis's experiments on this stack: publish N observations from 8 publishers and consume N queued (broker alone); drain test: workers stopped, N queued, workers started, time until all N are stored",
    create: analogsRun,
};
