// Entitlement and isolation in the comparison: a table each, verdict lines, and the data of the
// report's per-stressor charts, with the thesis's published isolation figures as a reference.
import type { StackSnapshot } from "./snapshot";
import type { Section } from "./report";
import type { MetricResult } from "../workloads/harness/contract";
import { ISOLATION_MODES, STRESSORS, StressorName, VICTIMS } from "../workloads/harness/isolation/names";
import { estimate } from "./statistics";
import { meanCi, num } from "./format";

/**
 * The thesis's victim slowdown beside each stressor, in % (final version, 2013 hardware; its
 * stressed neighbour ran uncapped). It had one network stressor, listed here as netSend.
 */
export const THESIS_ISOLATION: Partial<Record<StressorName, { lxc: number; kvm: number; xen: number }>> = {
    cpu: { lxc: 59.86, kvm: 17.64, xen: 17.58 },
    memory: { lxc: 52.0, kvm: 11.76, xen: 17.64 },
    netSend: { lxc: 209, kvm: 136, xen: 84.6 },
    disk: { lxc: 359.2, kvm: 338.6, xen: 255.8 },
};

const label = (s: StackSnapshot) => `${s.name}${s.metrics.emulated ? " (emulated)" : ""}`;
const result = (s: StackSnapshot, benchmark: string, metric: string): MetricResult | undefined =>
    s.metrics.results.find((r) => r.benchmark === benchmark && r.metric === metric);
const signed = (v: number) => `${v >= 0 ? "+" : ""}${num(v)}`;

const thesisText = (s: StressorName) => {
    const t = THESIS_ISOLATION[s];
    return t ? `LXC +${t.lxc} / KVM +${t.kvm} / Xen +${t.xen}` : "—";
};

export function isolationSection(stacks: StackSnapshot[]): Section | undefined {
    const rows: string[][] = [];
    for (const mode of ISOLATION_MODES)
        for (const stressor of STRESSORS) {
            const prefix = `${mode}.${stressor}`;
            if (!stacks.some((s) => result(s, "isolation", `${prefix}.work`))) continue;
            for (const victim of VICTIMS) {
                const cells = stacks.map((s) => result(s, "isolation", `${prefix}.${victim}.degradation_pct`));
                if (!cells.some((c) => c)) continue;
                rows.push([
                    mode,
                    stressor,
                    victim,
                    ...cells.map((c) => (c ? `${meanCi(c.samples, signed)} %` : "missing")),
                    mode === "uncapped" ? thesisText(stressor) : "",
                ]);
            }
            const work = stacks.map((s) => result(s, "isolation", `${prefix}.work`));
            const survived = stacks.map((s) => result(s, "isolation", `${prefix}.victim_survived`));
            rows.push([
                mode,
                stressor,
                "(the stressor's own work; victim measurements completed)",
                ...work.map((w, i) => (w ? `${meanCi(w.samples)} ${w.unit}; ${num((survived[i]?.mean ?? NaN) * 100)} %` : "missing")),
                "",
            ]);
        }
    if (!rows.length) return undefined;
    return {
        title: "Isolation: the victim's degradation beside each stressor in a neighbour guest",
        columns: ["mode", "stressor", "victim", ...stacks.map(label), "thesis (2013, uncapped)"],
        rows,
        notes: [
            "Degradation: how much worse the victim's measurement got beside the stressor than alone, in % (positive = worse), mean ± 95 % CI over repetitions. " +
                "uncapped: the neighbour as the thesis ran it; entitled: the neighbour under the entitlement caps (benchmark.entitlement). " +
                "Thesis: the well-behaved guest's slowdown beside each stressor, final version (2013 hardware); its network stressor is listed under netSend.",
        ],
    };
}

const RESOURCES = ["cpu", "memory", "disk_iops", "disk_bandwidth", "net_out", "net_in"];

function entitlementCell(s: StackSnapshot, resource: string): string {
    const achieved = result(s, "entitlement", `${resource}.achieved`);
    if (!achieved) return "not measured";
    const p = achieved.params;
    const ratio = result(s, "entitlement", `${resource}.achieved_over_requested`);
    const uncapped = result(s, "entitlement", `${resource}.uncapped`);
    const got = `${meanCi(achieved.samples)} of ${p.requested} ${achieved.unit}`;
    const twin = uncapped ? `; uncapped ${num(uncapped.mean)}${p.beyondCap === false ? ", the load did not exceed the cap" : ""}` : "";
    if (!ratio) return `not enforced (${p.reason}): ${got}${twin}`;
    return `${meanCi(ratio.samples)} (${got}${twin})${ratio.mean > 1.1 ? ", NOT enforced" : ""}`;
}

export function entitlementSection(stacks: StackSnapshot[]): Section | undefined {
    const rows = RESOURCES.filter((r) => stacks.some((s) => result(s, "entitlement", `${r}.achieved`))).map((r) => [
        r,
        ...stacks.map((s) => entitlementCell(s, r)),
    ]);
    if (!rows.length) return undefined;
    return {
        title: "Entitlement under load: what the capped neighbour got of what it asked for",
        columns: ["resource", ...stacks.map(label)],
        rows,
        notes: [
            "achieved / requested, mean ± 95 % CI, with what was achieved and requested; the uncapped twin took the same load. " +
                "A cap the platform did not apply has no ratio: its reason is shown instead. CPU is the host's account of the guest (cgroup, libvirt, xl).",
        ],
    };
}

/** The worst degradation of each stack per mode, beside the thesis's worst. */
export function isolationVerdict(stacks: StackSnapshot[]): string | undefined {
    const parts: string[] = [];
    for (const mode of ISOLATION_MODES) {
        const worst = stacks.flatMap((s) => {
            const rs = s.metrics.results.filter((r) => r.benchmark === "isolation" && r.metric.startsWith(`${mode}.`) && r.metric.endsWith(".degradation_pct"));
            if (!rs.length) return [];
            const w = rs.reduce((a, b) => (b.mean > a.mean ? b : a));
            const [, stressor, victim] = w.metric.split(".");
            return [`${label(s)} ${signed(w.mean)} % (${stressor} stressor, ${victim})`];
        });
        if (worst.length) parts.push(`${mode}: worst degradation ${worst.join("; ")}`);
    }
    return parts.length ? `isolation: ${parts.join(" | ")} (thesis, uncapped, worst: disk stressor LXC +359 %, KVM +339 %, Xen +256 %)` : undefined;
}

export function entitlementVerdict(stacks: StackSnapshot[]): string | undefined {
    const lines = stacks.flatMap((s) => {
        const measured = RESOURCES.filter((r) => result(s, "entitlement", `${r}.achieved`));
        if (!measured.length) return [];
        const broken = measured.filter((r) => {
            const ratio = result(s, "entitlement", `${r}.achieved_over_requested`);
            return !ratio || ratio.mean > 1.1;
        });
        return [
            `${label(s)} enforced ${measured.length - broken.length} of ${measured.length} caps under load${broken.length ? ` (not: ${broken.join(", ")})` : ""}`,
        ];
    });
    return lines.length ? `entitlement under load: ${lines.join("; ")}` : undefined;
}

/** Per stressor: each stack's degradation per victim (uncapped), and the thesis's figure, for the report's charts. */
export function isolationChartData(stacks: StackSnapshot[]) {
    return STRESSORS.flatMap((stressor) => {
        const bars = stacks.flatMap((s) =>
            VICTIMS.flatMap((victim) => {
                const r = result(s, "isolation", `uncapped.${stressor}.${victim}.degradation_pct`);
                if (!r) return [];
                const e = estimate(r.samples);
                const ci = Number.isNaN(e.ci95) ? 0 : e.ci95;
                return [{ series: s.name, victim, y: e.mean, yMin: e.mean - ci, yMax: e.mean + ci }];
            }),
        );
        if (!bars.length) return [];
        const t = THESIS_ISOLATION[stressor];
        const thesis = t
            ? [
                  { series: "thesis LXC", y: t.lxc },
                  { series: "thesis KVM", y: t.kvm },
                  { series: "thesis Xen", y: t.xen },
              ]
            : [];
        return [{ stressor, bars, thesis }];
    });
}
