// The thesis's published middleware figures (final version, 2013: 4x Dell Optiplex 990, i7-2600,
// 8 GB, 1 GbE; Ubuntu 12.04, kernel 3.8, LXC 0.7.5, QEMU-KVM 1.0), as a reference column beside
// this testbed's analogs. Different hardware and software: compare shapes and ratios, not seconds.
import type { StackSnapshot } from "./snapshot";
import type { Section } from "./report";
import { num } from "./format";

interface ThesisExperiment {
    title: string;
    /** Seconds on bare metal, LXC, KVM, Xen. */
    seconds: { bare: number; lxc: number; kvm: number; xen: number };
    /** Our analog: its rate metric, and how many observations the thesis's figure is for. */
    metric: string;
    observations: number;
}

export const THESIS_MIDDLEWARE: ThesisExperiment[] = [
    {
        title: "publish 50,000 observations, 8 publishers (s)",
        seconds: { bare: 199.7, lxc: 205.9, kvm: 254.3, xen: 232.2 },
        metric: "analogs.publish_rate",
        observations: 50000,
    },
    {
        title: "consume 50,000 queued observations (s)",
        seconds: { bare: 1014.2, lxc: 1032.4, kvm: 1079.9, xen: 1064.7 },
        metric: "analogs.consume_rate",
        observations: 50000,
    },
    {
        title: "ingest workers store 1,000 queued observations (s)",
        seconds: { bare: 111.2, lxc: 117.7, kvm: 129.3, xen: 126.8 },
        metric: "analogs.drain_rate",
        observations: 1000,
    },
];

/** Our time for the thesis's N, from the mean rate measured here (the analogs may run a different N). */
function oursFor(s: StackSnapshot, e: ThesisExperiment): string {
    const r = s.metrics.results.find((m) => `${m.benchmark}.${m.metric}` === e.metric);
    return r && r.mean > 0 ? num(e.observations / r.mean) : "not measured";
}

export function thesisSection(stacks: StackSnapshot[]): Section {
    return {
        title: "The thesis's experiments: its figures (2013 hardware) beside ours",
        columns: [
            "experiment",
            "thesis bare",
            "thesis LXC",
            "thesis KVM",
            "thesis Xen",
            ...stacks.map((s) => `${s.name}${s.metrics.emulated ? " (emulated)" : ""}`),
        ],
        rows: THESIS_MIDDLEWARE.map((e) => [
            e.title,
            num(e.seconds.bare),
            num(e.seconds.lxc),
            num(e.seconds.kvm),
            num(e.seconds.xen),
            ...stacks.map((s) => oursFor(s, e)),
        ]),
        notes: [
            "Thesis: final version (2013), 4x Dell Optiplex 990 (i7-2600, 8 GB, 1 GbE), Ubuntu 12.04, kernel 3.8, LXC 0.7.5, QEMU-KVM 1.0. " +
                "Ours: seconds for the same number of observations at the mean rate the analogs benchmark measured (benchmark.analogObservations may differ). " +
                "Different hardware and software: compare the ranking and the ratios to bare, not the seconds.",
        ],
    };
}
