// The config and provenance diff: every setting, image hash, tool version, host fact and
// `emulated` flag that differs between stacks, and nothing that is the same.
import { StackSnapshot } from "./snapshot";

export interface DiffRow {
    key: string;
    /** One value per stack, in the order given; undefined where the stack lacks the key. */
    values: (string | undefined)[];
}

/** Flattens nested objects to dotted keys with string values (YAML-ish config values parsed when JSON). */
export function flatten(value: unknown, prefix: string, out: Record<string, string> = {}): Record<string, string> {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    } else if (value !== undefined) {
        out[prefix] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return out;
}

/** A structured config value (maps are stored as JSON strings) as an object, so its keys diff one by one. */
const parsed = (v: string): unknown => {
    try {
        const j = JSON.parse(v);
        return typeof j === "object" && j !== null ? j : v;
    } catch {
        return v;
    }
};

/** The facts of a stack that the diff compares, flattened. */
export function facts(s: StackSnapshot): Record<string, string> {
    const m = s.metrics;
    // The criterion the limit was measured to, as the run applied it (a default is not in the stack's config).
    const limit = m.results.find((r) => r.benchmark === "saturation" && r.metric === "saturation_throughput");
    return {
        ...(limit ? flatten({ saturationP99BoundMs: limit.params.p99BoundMs, saturationReached: limit.params.reached ?? true }, "criteria") : {}),
        ...flatten(Object.fromEntries(Object.entries(s.config).map(([k, v]) => [k, parsed(v)])), "config"),
        ...flatten({ platform: m.platform, emulated: m.emulated }, ""),
        ...flatten(s.host, "host"),
        ...flatten({ configHash: m.provenance.configHash, imageHash: m.provenance.imageHash, gitCommit: m.provenance.gitCommit }, "provenance"),
        ...flatten(m.provenance.versions, "versions"),
        ...flatten(m.provenance.host, "hostFacts"),
    };
}

/** Keys whose values are not the same on every stack (missing counts as different). */
export function diffStacks(stacks: StackSnapshot[]): DiffRow[] {
    const all = stacks.map(facts);
    const keys = [...new Set(all.flatMap((f) => Object.keys(f)))].sort();
    return keys.map((key) => ({ key, values: all.map((f) => f[key]) })).filter((row) => row.values.some((v) => v !== row.values[0]));
}
