// Worker scaling in the comparison: the pipeline's limit per ingest worker count and stack, and
// the speed-up over the fewest workers.
import type { StackSnapshot } from "./snapshot";
import type { Section } from "./report";
import type { MetricResult } from "../workloads/harness/contract";
import { meanCi, num, sweptCounts } from "./format";
import { isUnreached } from "../workloads/harness/saturation/unreached";

const label = (s: StackSnapshot) => `${s.name}${s.metrics.emulated ? " (emulated)" : ""}`;
const find = (s: StackSnapshot, metric: string): MetricResult | undefined => s.metrics.results.find((r) => r.benchmark === "scaling" && r.metric === metric);

/** The worker counts a stack searched with, from its metrics. */
const counts = (s: StackSnapshot) => sweptCounts(s, "scaling", /^workers_(\d+)\.saturation_throughput$/);

function cell(r: MetricResult | undefined): string {
    if (!r) return "not measured";
    if (isUnreached(r)) return `unreached at p99 ≤ ${r.params.p99BoundMs} ms (last pass ${r.params.lastPassRate} obs/s)`;
    const bound = r.params?.p99BoundMs;
    return `${meanCi(r.samples)}${typeof bound === "number" ? ` @p99 ≤ ${bound} ms` : ""}`;
}

export function scalingSection(stacks: StackSnapshot[]): Section | undefined {
    const measured = stacks.filter((s) => counts(s).length);
    if (!measured.length) return undefined;
    const all = [...new Set(measured.flatMap(counts))].sort((a, b) => a - b);
    return {
        title: "Worker scaling: maximum sustainable throughput (obs/s) and speed-up",
        columns: ["ingest workers", ...measured.map(label)],
        rows: all.map((k) => [
            String(k),
            ...measured.map((s) => {
                const speedup = find(s, `workers_${k}.speedup`);
                return `${cell(find(s, `workers_${k}.saturation_throughput`))}${speedup ? ` (×${cell(speedup)})` : ""}`;
            }),
        ]),
        notes: ["mean ± 95 % CI over the repetitions; ×: throughput over the fewest workers' in the same repetition."],
    };
}

/** One line: per stack, the speed-up from the fewest to the most workers. */
export function scalingVerdict(stacks: StackSnapshot[]): string | undefined {
    const lines = stacks.flatMap((s) => {
        const ks = counts(s).sort((a, b) => a - b);
        if (ks.length < 2) return [];
        const most = ks[ks.length - 1];
        const speedup = find(s, `workers_${most}.speedup`);
        return [`${label(s)} ${speedup ? `×${num(speedup.mean)}` : "no speed-up (a count's criterion was not met)"} from ${ks[0]} to ${most} workers`];
    });
    return lines.length ? `scaling: ${lines.join("; ")}` : undefined;
}
