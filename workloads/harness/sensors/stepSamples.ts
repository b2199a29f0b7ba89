// The samples of one load step, named the same wherever a step is run (fixed rate, saturation,
// faults), so that compare lines them up. `suffix` tells apart steps of one run (e.g. _at_50pct).
import type { Sample } from "../contract";
import type { StepResult } from "./loadStep";

type Params = Record<string, string | number | boolean>;

export function stepSamples(step: StepResult, params: Params, suffix = ""): Sample[] {
    const p = { ...params, offeredRate: step.offeredRate, durationSeconds: step.durationSeconds, valid: step.valid };
    const s = (quantity: string, value: number, unit: string, better: Sample["better"]): Sample => ({
        quantity: quantity + suffix,
        subject: "system",
        value,
        unit,
        better,
        params: p,
    });
    return [
        s("throughput", step.throughput, "obs/s", "higher"),
        s("kept_up_rate", step.keptUpRate, "obs/s", "higher"),
        s("latency_p50", step.latencyMs.p50, "ms", "lower"),
        s("latency_p95", step.latencyMs.p95, "ms", "lower"),
        s("latency_p99", step.latencyMs.p99, "ms", "lower"),
        s("latency_p999", step.latencyMs.p999, "ms", "lower"),
        s("generator_lag_p99", step.generatorLagP99Ms, "ms", "lower"),
    ];
}

/** Delivery accounting of a step: what was sent, stored, lost, left queued, redelivered. */
export function deliverySamples(step: StepResult, params: Params, suffix = ""): Sample[] {
    const s = (quantity: string, value: number, better: Sample["better"]): Sample => ({
        quantity: quantity + suffix,
        subject: "system",
        value,
        unit: "observations",
        better,
        params: { ...params, offeredRate: step.offeredRate },
    });
    return [
        s("sent", step.sent, "higher"),
        s("stored", step.stored, "higher"),
        s("lost", step.lost, "lower"),
        s("backlog_purged", step.purged, "lower"),
        s("redelivered", step.redelivered, "lower"),
        s("duplicates", step.duplicates, "lower"),
        s("dead_lettered", step.deadLettered, "lower"),
        s("republished", step.republished, "lower"),
    ];
}
