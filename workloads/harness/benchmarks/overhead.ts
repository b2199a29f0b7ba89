// What the overhead benchmarks share: the same measurement in the visualization guest and on the
// bare host, one sample per side; the suite turns the pair into a guest/host ratio.
import type { Sample, SuiteContext, Target } from "../contract";

export type Side = "guest" | "host";

export function sample(side: Side, quantity: string, value: number, unit: string, better: "higher" | "lower", params: Sample["params"] = {}): Sample {
    return { quantity, subject: side, value, unit, better, params };
}

/** The guest the overhead benchmarks run in. */
export const measuredGuest = (ctx: SuiteContext) => ctx.guest("visualization");

/** Runs `measure` in the guest, then on the host. */
export function bothSides(ctx: SuiteContext, measure: (t: Target, side: Side) => Promise<Sample[]>): () => Promise<Sample[]> {
    return async () => [...(await measure(measuredGuest(ctx), "guest")), ...(await measure(ctx.host, "host"))];
}
