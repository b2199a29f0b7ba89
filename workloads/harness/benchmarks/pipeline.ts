// The middleware benchmark: sensor load through broker, ingest workers and database, with the
// dashboard queried under that load; the database is the judge of what was stored.
import * as http from "http";
import { Client } from "pg";
import type { Benchmark, BenchmarkModule, Sample } from "../contract";
import { percentile } from "../../guest/common/stats";
import { generateLoad, LoadSpec } from "../sensors/generator";
import { brokerCeiling } from "../sensors/brokerCeiling";

export interface PipelineContext {
    amqpUrl: string;
    pgUrl: string;
    dashboardUrl: string;
    load: Omit<LoadSpec, "amqpUrl" | "runId">;
    runPrefix: string;
    /** Messages of the broker-only ceiling measurement. */
    ceilingMessages: number;
}

function get(url: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const t = process.hrtime.bigint();
        http.get(url, (res) => {
            res.resume();
            res.on("end", () =>
                res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - t) / 1e6) : reject(new Error(`${url}: HTTP ${res.statusCode}`)),
            );
        }).on("error", reject);
    });
}

/** Queries the dashboard API in a loop until stopped; returns the latencies in ms. */
function probeDashboard(base: string, stations: number): { stop(): Promise<number[]> } {
    const latencies: number[] = [];
    let running = true;
    const loop = (async () => {
        for (let i = 0; running; i++) {
            latencies.push(await get(`${base}/api/latest`));
            latencies.push(await get(`${base}/api/stations/${i % stations}/series?limit=200`));
            await new Promise((r) => setTimeout(r, 100));
        }
    })();
    return { stop: async () => ((running = false), await loop, latencies) };
}

async function countStored(pgUrl: string, runId: string): Promise<{ rows: number; distinct: number }> {
    const client = new Client({ connectionString: pgUrl });
    await client.connect();
    try {
        const r = await client.query("SELECT count(*)::int AS rows, count(DISTINCT (station_id, seq))::int AS distinct FROM observations WHERE run_id = $1", [
            runId,
        ]);
        return r.rows[0];
    } finally {
        await client.end();
    }
}

export function pipelineRun(ctx: PipelineContext): Benchmark {
    let rep = 0;
    return {
        async run(): Promise<Sample[]> {
            const runId = `${ctx.runPrefix}-${++rep}`;
            const dashboard = probeDashboard(ctx.dashboardUrl.replace(/\/$/, ""), ctx.load.stations);
            const result = await generateLoad({ ...ctx.load, amqpUrl: ctx.amqpUrl, runId });
            const dashLatencies = await dashboard.stop();
            const stored = await countStored(ctx.pgUrl, runId);
            const ceiling = await brokerCeiling(ctx.amqpUrl, ctx.ceilingMessages);
            const throughput = stored.distinct / result.elapsedSeconds;
            const params = {
                stations: ctx.load.stations,
                sensorsPerStation: ctx.load.sensorsPerStation,
                offeredRate: ctx.load.rate,
                durationSeconds: ctx.load.durationSeconds,
            };
            const lat = result.latenciesMs.length ? result.latenciesMs : [NaN];
            return [
                { quantity: "throughput", subject: "system", value: throughput, unit: "obs/s", better: "higher", params },
                {
                    quantity: "broker_ceiling",
                    subject: "system",
                    value: ceiling,
                    unit: "msg/s",
                    better: "higher",
                    params: { messages: ctx.ceilingMessages, confirmWindow: 1000, prefetch: 500, persistent: true },
                },
                { quantity: "throughput_of_ceiling", subject: "system", value: throughput / ceiling, unit: "fraction", better: "higher", params },
                { quantity: "latency_p50", subject: "system", value: percentile(lat, 50), unit: "ms", better: "lower", params },
                { quantity: "latency_p95", subject: "system", value: percentile(lat, 95), unit: "ms", better: "lower", params },
                { quantity: "latency_p99", subject: "system", value: percentile(lat, 99), unit: "ms", better: "lower", params },
                { quantity: "sent", subject: "system", value: result.sent, unit: "observations", better: "higher", params },
                { quantity: "lost", subject: "system", value: result.sent - stored.distinct, unit: "observations", better: "lower", params },
                { quantity: "duplicates", subject: "system", value: stored.rows - stored.distinct, unit: "observations", better: "lower", params },
                { quantity: "redelivered", subject: "system", value: result.redelivered, unit: "observations", better: "lower", params },
                {
                    quantity: "dashboard_latency_p50",
                    subject: "system",
                    value: percentile(dashLatencies, 50),
                    unit: "ms",
                    better: "lower",
                    params: { ...params, queries: dashLatencies.length },
                },
                {
                    quantity: "dashboard_latency_p95",
                    subject: "system",
                    value: percentile(dashLatencies, 95),
                    unit: "ms",
                    better: "lower",
                    params: { ...params, queries: dashLatencies.length },
                },
            ];
        },
    };
}

export const pipelineBenchmark: BenchmarkModule<"pipeline"> = {
    name: "pipeline",
    description:
        "sensor load (stations x sensors at a rate, publisher confirms) through broker, ingest workers and PostgreSQL; dashboard latency under load; the broker's ceiling alone",
    create: (ctx) =>
        pipelineRun({
            ...ctx.endpoints,
            load: { ...ctx.config, drainSeconds: 30 + ctx.config.durationSeconds },
            runPrefix: `${ctx.stack}-${Date.now()}`,
            ceilingMessages: ctx.config.ceilingMessages,
        }),
};
