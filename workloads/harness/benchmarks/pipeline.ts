// The middleware benchmark: sensor load through broker, ingest workers and database, with the
// dashboard queried under that load; the database is the judge of what was stored.
import * as http from "http";
import type { Benchmark, BenchmarkModule, Sample } from "../contract";
import { percentile } from "../../guest/common/stats";
import type { LoadSpec } from "../sensors/generator";
import { runLoadStep } from "../sensors/loadStep";
import { deliverySamples, stepSamples } from "../sensors/stepSamples";
import { brokerCeiling, ceilingSemantics, CeilingSpec } from "../sensors/brokerCeiling";

export interface PipelineContext {
    log(message: string): void;
    amqpUrl: string;
    pgUrl: string;
    dashboardUrl: string;
    load: Omit<LoadSpec, "amqpUrl" | "runId">;
    runPrefix: string;
    ceiling: CeilingSpec;
}

/** One dashboard query's latency in ms; a query that takes more than 10 s fails the run. */
function get(url: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const t = process.hrtime.bigint();
        const req = http.get(url, (res) => {
            res.resume();
            res.on("end", () =>
                res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - t) / 1e6) : reject(new Error(`${url}: HTTP ${res.statusCode}`)),
            );
        });
        req.setTimeout(10_000, () => req.destroy(new Error(`${url}: no answer in 10 s`)));
        req.on("error", reject);
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

export function pipelineRun(ctx: PipelineContext): Benchmark {
    let rep = 0;
    return {
        async run(): Promise<Sample[]> {
            const runId = `${ctx.runPrefix}-${++rep}`;
            const dashboard = probeDashboard(ctx.dashboardUrl.replace(/\/$/, ""), ctx.load.stations);
            const step = await runLoadStep({ amqpUrl: ctx.amqpUrl, pgUrl: ctx.pgUrl }, { ...ctx.load, runId });
            const dashLatencies = await dashboard.stop();
            // Kept, but marked: every sample of this repetition carries valid: false (a host busy with emulation can starve the generator).
            if (!step.valid) ctx.log(`pipeline: ${step.invalidReason} at benchmark.rate ${ctx.load.rate}: this repetition is marked valid: false`);
            const ceiling = await brokerCeiling(ctx.amqpUrl, ctx.ceiling);
            const params = { stations: ctx.load.stations, sensorsPerStation: ctx.load.sensorsPerStation };
            const dash = (quantity: string, p: number): Sample => ({
                quantity,
                subject: "system",
                value: percentile(dashLatencies, p),
                unit: "ms",
                better: "lower",
                params: { ...params, queries: dashLatencies.length },
            });
            return [
                ...stepSamples(step, params),
                ...deliverySamples(step, params),
                ceilingSample(ceiling, ctx.ceiling),
                { quantity: "throughput_of_ceiling", subject: "system", value: step.throughput / ceiling.rate, unit: "fraction", better: "higher", params },
                dash("dashboard_latency_p50", 50),
                dash("dashboard_latency_p95", 95),
            ];
        },
    };
}

/** The broker-only ceiling as a sample, with what it means. */
export function ceilingSample(c: { rate: number; consumed: number; seconds: number }, spec: CeilingSpec): Sample {
    return {
        quantity: "broker_ceiling",
        subject: "system",
        value: c.rate,
        unit: "msg/s",
        better: "higher",
        params: { semantics: ceilingSemantics(spec), warmupSeconds: spec.warmupSeconds, seconds: Number(c.seconds.toFixed(1)), messages: c.consumed },
    };
}

export const pipelineBenchmark: BenchmarkModule<"pipeline"> = {
    name: "pipeline",
    description:
        "open-loop sensor load at a fixed rate (stations x sensors, publisher confirms) through broker, ingest workers and PostgreSQL; latency from intended send time to stored; dashboard latency under load; the broker's ceiling alone",
    create: (ctx) =>
        pipelineRun({
            ...ctx.endpoints,
            log: ctx.log,
            load: { ...ctx.config, drainSeconds: 30 + ctx.config.durationSeconds },
            runPrefix: `${ctx.stack}-${Date.now()}`,
            ceiling: { warmupSeconds: ctx.config.saturation.warmupSeconds, seconds: ctx.config.ceilingSeconds, consumers: ctx.ingestWorkers },
        }),
};
