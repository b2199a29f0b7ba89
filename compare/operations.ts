// Operations in the comparison: each operation's time per stack (mean ± 95 % CI, n) or why the
// platform could not take it, beside the thesis's published times; and a verdict line.
import type { StackSnapshot } from "./snapshot";
import type { Section } from "./report";
import { estimate } from "./statistics";
import { meanCi, num } from "./format";

/** The thesis's final operation times in seconds (2013 hardware), where it published one. */
export const THESIS_OPERATIONS: Record<string, { kvm: number; xen: number; lxc: number }> = {
    provision: { kvm: 532, xen: 718.5, lxc: 27.5 },
    boot: { kvm: 5.86, xen: 5.34, lxc: 0.053 },
    reboot: { kvm: 38, xen: 11, lxc: 10 },
    clone: { kvm: 35, xen: 215, lxc: 0.55 },
};

const OPERATIONS = ["reboot", "pause", "resume", "clone", "boot", "checkpoint", "restore", "migrate", "migrate_downtime"];
const label = (s: StackSnapshot) => `${s.name}${s.metrics.emulated ? " (emulated)" : ""}`;
const metricOf = (op: string) => `ops.${op}_seconds`;

function result(s: StackSnapshot, op: string) {
    return s.metrics.results.find((r) => r.benchmark === "operations" && r.metric === metricOf(op));
}

function why(s: StackSnapshot, op: string): string | undefined {
    return s.metrics.notMeasured?.find((n) => n.benchmark === "operations" && n.metric === metricOf(op))?.reason;
}

/** An operation's cell: mean ± CI (n), or "cannot: why", or "not measured". */
export function operationCell(s: StackSnapshot, op: string): string {
    const r = result(s, op);
    if (r) {
        return `${meanCi(r.samples)} (n=${r.samples.length})`;
    }
    const reason = why(s, op);
    return reason ? `cannot: ${reason}` : "not measured";
}

/** Provision in its phases: the base image (built or cached) and each guest's own provisioning, from the stack's timings. */
export function provisionCell(s: StackSnapshot): string {
    const t = s.timings;
    const guests = Object.values(t?.guests ?? {}).map((g) => g.provisionSeconds);
    if (!t || !guests.length) return "not measured";
    const image = `image ${num(t.image.buildSeconds)}${t.image.cached ? " (cached)" : ""}`;
    return `${image} + guest ${meanCi(guests)} (n=${guests.length} guests)${t.host ? ` after its host's boot ${num(t.host.bootToReadySeconds)}` : ""}`;
}

const ran = (s: StackSnapshot) => s.metrics.provenance.suites?.some((x) => x.name === "operations") ?? false;

export function operationsSection(stacks: StackSnapshot[]): Section | undefined {
    const measured = stacks.filter(ran);
    if (!measured.length) return undefined;
    const thesis = (op: string) => THESIS_OPERATIONS[op];
    return {
        title: "Operations (s)",
        columns: ["operation", "thesis KVM", "thesis Xen", "thesis LXC", ...measured.map(label)],
        rows: [
            ["provision", num(thesis("provision").kvm), num(thesis("provision").xen), num(thesis("provision").lxc), ...measured.map(provisionCell)],
            ...OPERATIONS.map((op) => [op, num(thesis(op)?.kvm), num(thesis(op)?.xen), num(thesis(op)?.lxc), ...measured.map((s) => operationCell(s, op))]),
        ],
        notes: [
            "Timed on the operations guest (the measured guest's size) from the platform's host; boot, reboot, resume and restore until the guest answers SSH again (one SSH handshake included).",
            "Thesis: final version (2013), its own hardware; '—' where it published no time. Compare the ranking, not the seconds.",
        ],
    };
}

/** One line: for each operation timed on more than one stack, the fastest; and what could not be done where. */
export function operationsVerdict(stacks: StackSnapshot[]): string | undefined {
    const measured = stacks.filter(ran);
    if (!measured.length) return undefined;
    const fastest = OPERATIONS.flatMap((op) => {
        const timed = measured.flatMap((s) => (result(s, op) ? [{ s, mean: result(s, op)!.mean }] : []));
        if (timed.length < 2) return [];
        const best = timed.sort((a, b) => a.mean - b.mean)[0];
        return [`${op} fastest on ${best.s.name} (${num(best.mean)} s)`];
    });
    const cannotDo = measured.flatMap((s) => OPERATIONS.filter((op) => !result(s, op) && why(s, op)).map((op) => `${s.name} cannot ${op}`));
    const parts = [...fastest, ...(cannotDo.length ? [`${cannotDo.join(", ")} (reasons in the table)`] : [])];
    return parts.length ? `operations: ${parts.join("; ")}` : undefined;
}

/** The operations chart: per operation with a published thesis time, a bar per stack (mean ± CI) and the thesis's three (log scale in the page). */
export function operationsChartData(stacks: StackSnapshot[]) {
    const measured = stacks.filter(ran);
    const ops = Object.keys(THESIS_OPERATIONS).filter((op) => measured.some((s) => result(s, op)));
    if (!ops.length) return undefined;
    const bar = (s: StackSnapshot, op: string) => {
        const r = result(s, op);
        if (!r) return { y: 0, yMin: 0, yMax: 0 };
        const e = estimate(r.samples);
        const ci = Number.isNaN(e.ci95) ? 0 : e.ci95;
        return { y: e.mean, yMin: Math.max(e.mean - ci, e.mean / 10), yMax: e.mean + ci };
    };
    const thesis = (platform: "kvm" | "xen" | "lxc") =>
        ops.map((op) => ({ y: THESIS_OPERATIONS[op][platform], yMin: THESIS_OPERATIONS[op][platform], yMax: THESIS_OPERATIONS[op][platform] }));
    return {
        labels: ops,
        datasets: [
            ...measured.map((s) => ({ label: label(s), stack: s.name, data: ops.map((op) => bar(s, op)) })),
            { label: "thesis LXC", stack: "", data: thesis("lxc") },
            { label: "thesis KVM", stack: "", data: thesis("kvm") },
            { label: "thesis Xen", stack: "", data: thesis("xen") },
        ],
    };
}
