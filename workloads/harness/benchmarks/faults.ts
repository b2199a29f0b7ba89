// No loss under faults: a fixed-rate run during which one ingest worker is killed (SIGKILL, its
// supervisor restarts it) and the broker is restarted (its connections drop; the generator and
// the workers reconnect, what was not confirmed is published again, what was not acked is
// redelivered). The database judges: stored must equal sent, and the redeliveries show.
import type { BenchmarkModule, Sample } from "../contract";
import { runLoadStep } from "../sensors/loadStep";
import { deliverySamples, stepSamples } from "../sensors/stepSamples";

/** Kills the first worker's process itself (not its supervisor). */
export const KILL_WORKER = `kill -KILL "$(cat /run/vtb-ingest-1.pid)"`;
/**
 * Waits until every ingest worker consumes again (a worker writes its PID file once it does; the
 * supervisor removes the old one and may still be backing off after the last run's kill).
 */
export const workersConsuming = (workers: number) => `up() {
  for w in $(seq 1 ${workers}); do p=/run/vtb-ingest-$w.pid; [ -s "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null || return 1; done
}
i=0
until up; do
  i=$((i + 1)); [ $i -le 300 ] || { echo "the ingest workers were not all consuming 300 s after the last run" >&2; exit 1; }
  sleep 1
done`;
/** Stops the RabbitMQ node and starts it again through its own start script. */
export const RESTART_BROKER = `rabbitmqctl -q stop >/dev/null
# The start script starts no second node while the old one's VM still exits.
i=0
while pgrep -u rabbitmq -x beam.smp >/dev/null; do
  i=$((i + 1)); [ $i -le 60 ] || { echo "RabbitMQ still running 60 s after the stop" >&2; exit 1; }
  sleep 1
done
sh /etc/vtb/services.d/10-rabbitmq.sh
i=0
until rabbitmqctl -q await_startup --timeout 10 >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -le 120 ] || { echo "RabbitMQ not back after the restart" >&2; tail -20 /var/log/rabbitmq/startup.log >&2; exit 1; }
  sleep 1
done`;

export const faultsBenchmark: BenchmarkModule<"faults"> = {
    name: "faults",
    description:
        "fixed-rate run with one ingest worker SIGKILLed at 1/3 and the broker restarted at 2/3: stored vs sent, lost, redeliveries, duplicates, republished publishes",
    create(ctx) {
        const c = ctx.config;
        let runs = 0;
        return {
            async run(): Promise<Sample[]> {
                // Each run starts from a whole pipeline.
                await ctx.guest("ingest").exec(workersConsuming(ctx.ingestWorkers), 600);
                const events: string[] = [];
                const fault = (name: string, role: "ingest" | "broker", script: string) => async () => {
                    const t = Date.now();
                    await ctx.guest(role).exec(script, 600);
                    events.push(`${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
                    ctx.log(`faults: ${name}`);
                };
                const step = await runLoadStep(ctx.endpoints, {
                    runId: `${ctx.stack}-faults-${++runs}`,
                    stations: c.stations,
                    sensorsPerStation: c.sensorsPerStation,
                    rate: c.rate,
                    durationSeconds: c.durationSeconds,
                    drainSeconds: 120 + c.durationSeconds,
                    during: [
                        { atFraction: 1 / 3, action: fault("worker killed", "ingest", KILL_WORKER) },
                        { atFraction: 2 / 3, action: fault("broker restarted", "broker", RESTART_BROKER) },
                    ],
                });
                const params = { stations: c.stations, sensorsPerStation: c.sensorsPerStation, faults: events.join(", ") };
                return [
                    ...deliverySamples(step, params),
                    ...stepSamples(step, params).filter((s) => s.quantity.startsWith("latency")),
                    { quantity: "reconnects", subject: "system", value: step.reconnects, unit: "connections", better: "lower", params },
                ];
            },
        };
    },
};
