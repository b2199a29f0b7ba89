// The pipeline at its limit: the maximum sustainable throughput, stored in PostgreSQL end to end.
// The first repetition warms up and searches (saturation/search.ts); every repetition then confirms
// the found rate (stepping down 5 % when a confirmation fails), measures latency at 50 % and 90 % of
// it, the CPU each component spent per observation at that rate, and the broker's own ceiling.
import type { Benchmark, BenchmarkModule, Curve, Sample, SuiteContext } from "../contract";
import { runLoadStep, StepResult } from "../sensors/loadStep";
import { deliverySamples, stepSamples } from "../sensors/stepSamples";
import { brokerCeiling } from "../sensors/brokerCeiling";
import { judgeStep, SaturationSearch, SearchOutcome, SearchSettings } from "../saturation/search";
import { Component, CPU_TICKS_SCRIPT, microsPerObservation, parseCpuTicks, sumReadings } from "../saturation/cpuCost";
import { ceilingSample } from "./pipeline";
import { ROLES } from "../../../components/roles";
import { criterionOf, unreachedSample } from "../saturation/unreached";

const PRECISION = 0.05;
const MIN_KEPT_UP = 0.98;
/** Confirmation tries, each 5 % lower: down to about half the found rate (a later repetition may meet a checkpoint, or a generator short of CPU, that the search's steps did not). */
const CONFIRM_TRIES = 14;

/** CPU seconds per component over every guest of the stack, and the generator's own. */
async function cpuReading(ctx: SuiteContext): Promise<Partial<Record<Component | "generator", number>>> {
    const guests = new Map(ROLES.map((r) => [ctx.guest(r).address, ctx.guest(r)]));
    const readings = await Promise.all([...guests.values()].map(async (g) => parseCpuTicks(await g.exec(CPU_TICKS_SCRIPT, 600))));
    const own = process.cpuUsage();
    return { ...sumReadings(readings), generator: (own.user + own.system) / 1e6 };
}

export function saturationRun(ctx: SuiteContext): Benchmark {
    const c = ctx.config;
    const settings: SearchSettings = { ...c.saturation, growth: 2, precision: PRECISION, minKeptUp: MIN_KEPT_UP, minRate: 10 };
    const params = { stations: c.stations, sensorsPerStation: c.sensorsPerStation, p99BoundMs: c.saturation.p99BoundMs, stepSeconds: c.saturation.stepSeconds };
    const curve: Curve = {
        benchmark: "saturation",
        name: "offered → stored",
        x: "offered",
        units: { offered: "obs/s", keptUp: "obs/s", p50: "ms", p99: "ms" },
        points: [],
    };
    let runs = 0;
    let found: SearchOutcome | undefined;
    let rate = 0;
    /** What the system stored at each rate that passed in the search. */
    const passedAt = new Map<number, number>();
    /** Set when a repetition could not meet the criterion: the later ones have nothing to add. */
    let unreached = false;
    /** The rate the latest repetition confirmed. */
    let lastConfirmed: number | undefined;

    const step = (offered: number, seconds: number): Promise<StepResult> =>
        runLoadStep(ctx.endpoints, {
            runId: `${ctx.stack}-sat-${++runs}`,
            stations: c.stations,
            sensorsPerStation: c.sensorsPerStation,
            rate: offered,
            durationSeconds: seconds,
            // The drain waits at least as long as a notice may take (it ends as soon as all are in).
            drainSeconds: Math.max(5, seconds, Math.ceil(c.saturation.p99BoundMs / 1000)),
            // A notice within the latency bound after the schedule's end still counts as kept up: a
            // system whose every observation meets the bound keeps up, whatever the bound.
            keptUpGraceMs: Math.max(1000, c.saturation.p99BoundMs),
            // A tenth of the latency bound is the slack of the other judgements: the generator's own
            // lateness (it counts in the latency anyway), and how far the backlog may wander (in time
            // at the offered rate) before it counts as growing.
            lagBoundMs: Math.max(50, c.saturation.p99BoundMs / 10),
            jitterMs: c.saturation.p99BoundMs / 10,
        });
    const judged = async (offered: number, phase: string) => {
        const r = await step(offered, c.saturation.stepSeconds);
        const v = judgeStep(r, settings);
        curve.points.push({ phase, offered, keptUp: r.keptUpRate, p50: r.latencyMs.p50, p99: r.latencyMs.p99, pass: v.pass, why: v.reasons.join("; ") });
        ctx.log(`saturation ${phase} ${offered} obs/s: ${v.pass ? "pass" : `fail (${v.reasons.join("; ")})`}`);
        if (v.pass) passedAt.set(offered, r.keptUpRate);
        return { r, v };
    };

    /** A step below saturation whose generator ran late is run once more; a second late one is kept, marked valid: false. */
    const latencyStep = async (offered: number, phase: string) => {
        const first = (await judged(offered, phase)).r;
        return first.valid ? first : (await judged(offered, `${phase} again`)).r;
    };

    return {
        async run(): Promise<Sample[]> {
            if (unreached) {
                ctx.log("saturation: the criterion was not met in an earlier repetition; this one is skipped");
                return [];
            }
            const criterion = criterionOf(settings);
            const ceilingSpec = { warmupSeconds: c.saturation.warmupSeconds, seconds: c.ceilingSeconds, consumers: ctx.ingestWorkers };
            // A criterion the pipeline cannot meet here is a result (the last pass, what was seen), not a failed run.
            // Its figure is what was stored at the last rate that passed; in a repetition after one that
            // confirmed, what this repetition itself stored at the best of its refused steps (never a
            // figure of another repetition counted twice).
            const unmet = async (stop: "none" | "noConfirmation", seen: string[], ownKeptUp?: number): Promise<Sample[]> => {
                unreached = true;
                const lastPassRate = lastConfirmed ?? found?.rate ?? 0;
                ctx.log(`saturation: criterion (${criterion}) not met: ${stop}; last pass ${lastPassRate} obs/s`);
                const kept = lastConfirmed !== undefined ? (ownKeptUp ?? 0) : (passedAt.get(lastPassRate) ?? 0);
                const u = { stop, lastPassRate, lastPassKeptUp: kept, criterion, seen };
                return [unreachedSample(u, params), ceilingSample(await brokerCeiling(ctx.endpoints.amqpUrl, ceilingSpec), ceilingSpec)];
            };
            if (!found) {
                if (c.saturation.warmupSeconds > 0) await step(c.saturation.startRate, c.saturation.warmupSeconds);
                const search = new SaturationSearch(settings);
                const seen: string[] = [];
                for (let next = search.next(); next !== undefined; next = search.next()) {
                    const { v } = await judged(next, "search");
                    if (!v.pass) seen.push(`${next} obs/s: ${v.reasons.join(", ")}`);
                    search.record(next, v);
                }
                found = search.result();
                // A generator that cannot keep even the first rate's schedule says nothing of the pipeline: the run fails.
                if (found.rate === 0 && found.stop === "generator")
                    throw new Error(`saturation: the load generator could not keep its schedule at ${c.saturation.startRate} obs/s (see the log)`);
                if (found.rate === 0) return unmet("none", seen);
                rate = found.rate;
            }
            // Confirm: the found rate must pass again; each failure steps it down 5 %.
            let confirmed: { r: StepResult; cpu: Partial<Record<string, number>> } | undefined;
            const refused: string[] = [];
            let refusedKeptUp = 0;
            for (let i = 0; i < CONFIRM_TRIES && !confirmed; i++) {
                const before = await cpuReading(ctx);
                const { r, v } = await judged(rate, "confirm");
                const after = await cpuReading(ctx);
                const cpu = microsPerObservation(before, after, r.stored);
                // A component whose account went backwards lost a process's time: the step is retaken at the same rate.
                const unaccounted = Object.keys(after).filter((k) => !(k in cpu));
                if (v.pass && unaccounted.length) {
                    const why = `the CPU account of ${unaccounted.join(", ")} went backwards; confirming again`;
                    ctx.log(`saturation confirm: ${why}`);
                    // The curve keeps the step, as retaken: one accepted confirmation per repetition.
                    Object.assign(curve.points[curve.points.length - 1], { phase: "confirm, retaken", why });
                } else if (v.pass) confirmed = { r, cpu };
                else {
                    refused.push(`${rate} obs/s: ${v.reasons.join(", ")}`);
                    refusedKeptUp = Math.max(refusedKeptUp, r.keptUpRate);
                    rate = Math.round(rate * (1 - PRECISION));
                }
            }
            // Every step passed, but no CPU account could be read whole: a broken probe, not a criterion missed.
            if (!confirmed && !refused.length)
                throw new Error(`saturation: every confirmation at ${rate} obs/s passed, but a CPU account went backwards in all ${CONFIRM_TRIES}`);
            if (!confirmed) return unmet("noConfirmation", refused, refusedKeptUp);
            lastConfirmed = rate;
            const at50 = await latencyStep(Math.round(rate * 0.5), "50%");
            const at90 = await latencyStep(Math.round(rate * 0.9), "90%");
            const ceiling = await brokerCeiling(ctx.endpoints.amqpUrl, ceilingSpec);
            const p = { ...params, reached: true, criterion, searchStop: found.stop, lowerBound: found.stop !== "bracketed" };
            return [
                {
                    quantity: "saturation_throughput",
                    subject: "system",
                    value: confirmed.r.keptUpRate,
                    unit: "obs/s",
                    better: "higher",
                    params: { ...p, offeredRate: rate },
                },
                ceilingSample(ceiling, ceilingSpec),
                {
                    quantity: "saturation_of_ceiling",
                    subject: "system",
                    value: confirmed.r.keptUpRate / ceiling.rate,
                    unit: "fraction",
                    better: "higher",
                    params: p,
                },
                ...stepSamples(confirmed.r, p, "_at_saturation"),
                ...stepSamples(at50, p, "_at_50pct"),
                ...stepSamples(at90, p, "_at_90pct"),
                ...deliverySamples(confirmed.r, p, "_at_saturation"),
                ...Object.entries(confirmed.cpu).map(([component, us]): Sample => ({
                    quantity: `cpu_per_obs_${component}`,
                    subject: "system",
                    value: us!,
                    unit: "µs/obs",
                    better: "lower",
                    params: {
                        ...p,
                        source: component === "generator" ? "process.cpuUsage of the harness" : "/proc/<pid>/stat utime+stime (+children) in the guests",
                    },
                })),
            ];
        },
        curves: () => [curve],
    };
}

export const saturationBenchmark: BenchmarkModule<"saturation"> = {
    name: "saturation",
    description:
        "maximum sustainable throughput of the whole pipeline (stored in PostgreSQL): warm-up, ramp, bisection to 5 %, confirmed each repetition; p50/p99 at 50 % and 90 % of it; CPU µs per observation per component; the broker's ceiling in the same run",
    create: saturationRun,
};
