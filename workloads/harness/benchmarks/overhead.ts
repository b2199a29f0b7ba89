// What the overhead benchmarks share: the same measurement in the visualization guest and on the
// bare host, one sample per side; the suite turns the pair into a guest/host ratio.
import * as os from "os";
import type { Sample, SuiteContext, Target } from "../contract";
import { coreList, pinHarness } from "../pinHarness";

export type Side = "guest" | "host";

export function sample(side: Side, quantity: string, value: number, unit: string, better: "higher" | "lower", params: Sample["params"] = {}): Sample {
    return { quantity, subject: side, value, unit, better, params };
}

/** The guest the overhead benchmarks run in. */
export const measuredGuest = (ctx: SuiteContext) => ctx.guest("visualization");

/**
 * The bare host measured quiet: on its last core, with the harness (this process, the Pulumi
 * engine's child, and what it starts) kept on the others meanwhile. One core: as it is.
 */
async function onQuietCore(ctx: SuiteContext, measure: (t: Target, side: Side) => Promise<Sample[]>): Promise<Sample[]> {
    const cores = os.cpus().length;
    if (cores < 2) return (await measure(ctx.host, "host")).map((s) => ({ ...s, params: { ...s.params, hostCore: "any: the host has one core" } }));
    const core = String(cores - 1);
    const quiet: Target = { name: "host", exec: (script, t) => ctx.host.exec(`exec taskset -c ${core} sh -es <<'VTB_QUIET'\n${script}\nVTB_QUIET`, t) };
    const unpin = await pinHarness(coreList(0, cores - 2));
    try {
        return (await measure(quiet, "host")).map((s) => ({ ...s, params: { ...s.params, hostCore: core, harnessCores: coreList(0, cores - 2) } }));
    } finally {
        await unpin();
    }
}

/** Runs `measure` in the guest, then on the host (quiet). */
export function bothSides(ctx: SuiteContext, measure: (t: Target, side: Side) => Promise<Sample[]>): () => Promise<Sample[]> {
    return async () => [...(await measure(measuredGuest(ctx), "guest")), ...(await onQuietCore(ctx, measure))];
}
