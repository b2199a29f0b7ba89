// Security facts in the comparison: a table of each fact per stack (with what was read) and a
// verdict line per stack that measured them.
import type { StackSnapshot } from "./snapshot";
import type { Section } from "./report";
import type { MetricResult } from "../workloads/harness/contract";

const fact = (s: StackSnapshot, q: string): MetricResult | undefined => s.metrics.results.find((r) => r.benchmark === "security" && r.metric === `guest.${q}`);
const label = (s: StackSnapshot) => `${s.name}${s.metrics.emulated ? " (emulated)" : ""}`;
const yes = (r: MetricResult | undefined, y: string, n: string) => (r ? (r.mean >= 0.5 ? y : n) : undefined);

/** Each fact: its row label, its text in a cell, and the detail (a param) shown beside it. */
const ROWS: { q: string; row: string; text: (r: MetricResult) => string; detail?: string }[] = [
    { q: "shared_kernel", row: "shares the host's kernel", text: (r) => yes(r, "yes", "no")!, detail: "kernels" },
    { q: "root_is_host_root", row: "guest root is host root", text: (r) => yes(r, "YES", "no")!, detail: "rootMapsTo" },
    { q: "init_capabilities", row: "capabilities of the guest's init", text: (r) => `${r.mean} of ${r.params.of}` },
    { q: "init_seccomp_filter", row: "seccomp filter on the guest's init", text: (r) => yes(r, "yes", "no")!, detail: "modes" },
    { q: "lsm_confined", row: "LSM confinement of the guest's init", text: (r) => yes(r, "yes", "no")!, detail: "labels" },
    { q: "device_nodes", row: "device nodes visible", text: (r) => String(r.mean), detail: "blockDevices" },
    { q: "host_kernel_log_readable", row: "host kernel log readable", text: (r) => yes(r, "YES", "no")! },
    { q: "listening_sockets", row: "listening sockets", text: (r) => String(r.mean), detail: "listening" },
    { q: "host_process_root", row: "host process runs as root", text: (r) => yes(r, "YES", "no")!, detail: "processes" },
    { q: "host_process_sandboxed", row: "QEMU sandbox (-sandbox on)", text: (r) => yes(r, "yes", "no")! },
];

export function securitySection(stacks: StackSnapshot[]): Section | undefined {
    const measured = stacks.filter((s) => fact(s, "shared_kernel"));
    if (!measured.length) return undefined;
    const cell = (s: StackSnapshot, row: (typeof ROWS)[number]) => {
        const r = fact(s, row.q);
        if (!r) return String(fact(s, "shared_kernel")!.params.hostProcess ?? "not measured");
        const detail = row.detail ? r.params[row.detail] : undefined;
        return detail === undefined ? row.text(r) : `${row.text(r)} (${detail})`;
    };
    return {
        title: "Security facts",
        columns: ["fact", ...measured.map(label)],
        rows: ROWS.map((row) => [row.row, ...measured.map((s) => cell(s, row))]),
        notes: ["Read from inside every guest (its init, PID 1) and on the platform's host (the process that runs it); where guests differ, the worst counts."],
    };
}

/** One line per stack: what separates the guest from the host. */
export function securityVerdict(stacks: StackSnapshot[]): string | undefined {
    const lines = stacks.flatMap((s) => {
        const shared = fact(s, "shared_kernel");
        if (!shared) return [];
        const parts = [
            shared.mean ? "shares the host's kernel" : "own kernel",
            fact(s, "root_is_host_root")?.mean ? "guest root IS host root" : undefined,
            `init holds ${fact(s, "init_capabilities")?.mean} of ${fact(s, "init_capabilities")?.params.of} capabilities`,
            fact(s, "init_seccomp_filter")?.mean ? "seccomp" : "no seccomp",
            fact(s, "lsm_confined")?.mean ? "LSM-confined" : "no LSM",
            fact(s, "host_kernel_log_readable")?.mean ? "reads the host's kernel log" : undefined,
            yes(fact(s, "host_process_root"), "its host process runs as root", "its host process is not root"),
            yes(fact(s, "host_process_sandboxed"), "QEMU sandboxed", "QEMU not sandboxed"),
        ].filter((p) => p);
        return [`${label(s)}: ${parts.join(", ")}`];
    });
    return lines.length ? `security: ${lines.join("; ")}` : undefined;
}
