// Density in the comparison: per number of guests started together and per stack, the time until
// all answered and the host memory each took (the platform's account, and the drop of free
// memory), what KSM merged, and the memory the stack committed over the host's; a verdict line.
import type { StackSnapshot } from "./snapshot";
import type { Section } from "./report";
import type { MetricResult } from "../workloads/harness/contract";
import { meanCi, num, sweptCounts } from "./format";

const label = (s: StackSnapshot) => `${s.name}${s.metrics.emulated ? " (emulated)" : ""}`;
const find = (s: StackSnapshot, metric: string): MetricResult | undefined => s.metrics.results.find((r) => r.benchmark === "density" && r.metric === metric);
const why = (s: StackSnapshot, metric: string) => s.metrics.notMeasured?.find((n) => n.benchmark === "density" && n.metric === metric)?.reason;

/** The guest counts a stack started together, from its metrics. */
const counts = (s: StackSnapshot) => sweptCounts(s, "density", /^guests_(\d+)\.ready_seconds$/);

const ran = (s: StackSnapshot) => s.metrics.provenance.suites?.some((x) => x.name === "density") ?? false;

const MEASURES: [string, string][] = [
    ["ready_seconds", "all ready (s)"],
    ["guest_memory_mib", "host memory per guest, the platform's account (MiB)"],
    ["host_memory_per_guest_mib", "drop of the host's free memory per guest (MiB)"],
    ["shared_mib", "merged by KSM (MiB)"],
];

function cell(s: StackSnapshot, metric: string): string {
    const r = find(s, metric);
    if (r) return meanCi(r.samples);
    return why(s, metric) ? "cannot (below)" : "not measured";
}

export function densitySection(stacks: StackSnapshot[]): Section | undefined {
    const measured = stacks.filter(ran);
    if (!measured.length) return undefined;
    const all = [...new Set(measured.flatMap(counts))].sort((a, b) => a - b);
    const reasons = measured.flatMap((s) => {
        const found = new Set((s.metrics.notMeasured ?? []).filter((n) => n.benchmark === "density").map((n) => n.reason));
        return [...found].map((r) => `${s.name} cannot: ${r}`);
    });
    const policies = measured.flatMap((s) => {
        const r = find(s, "committed_ratio");
        return r ? [`${s.name}: ${r.params.policy}`] : [];
    });
    return {
        title: "Density: minimal guests started together",
        columns: ["guests", "measure", ...measured.map(label)],
        rows: [
            ...all.flatMap((k) => MEASURES.map(([m, what]) => [String(k), what, ...measured.map((s) => cell(s, `guests_${k}.${m}`))])),
            ["all", "memory the stack's guests are configured with, over the host's (×)", ...measured.map((s) => cell(s, "committed_ratio"))],
        ],
        notes: ["mean ± 95 % CI over the repetitions.", ...policies, ...reasons],
    };
}

/** One line: per stack, the most guests started together, how long until all answered, and what each took. */
export function densityVerdict(stacks: StackSnapshot[]): string | undefined {
    const lines = stacks.flatMap((s) => {
        const ks = counts(s).sort((a, b) => a - b);
        if (!ks.length) return [];
        const most = ks[ks.length - 1];
        const at = (m: string) => num(find(s, `guests_${most}.${m}`)?.mean);
        return [`${label(s)} ${most} guests all ready in ${at("ready_seconds")} s, ${at("guest_memory_mib")} MiB each`];
    });
    return lines.length ? `density: ${lines.join("; ")}` : undefined;
}
