// One line per thesis question measured so far (README, "What the suite measures"): virtualization overhead and the
// middleware. Emulated stacks are marked as such: their figures compare behaviour, not hardware.
import { StackSnapshot } from "./snapshot";
import type { AppliedLimits } from "../components/platforms/driver";
import { welch } from "./statistics";
import { ALPHA, p99BoundOf } from "./metricsTable";
import { isUnreached } from "../workloads/harness/saturation/unreached";
import { num } from "./format";
import { entitlementVerdict as entitlementUnderLoad, isolationVerdict } from "./isolation";
import { securityVerdict } from "./security";
import { operationsVerdict } from "./operations";
import { scalingVerdict } from "./scaling";
import { densityVerdict } from "./density";
import { cpuShare } from "../components/platforms/driver";

const label = (s: StackSnapshot) => `${s.name}${s.metrics.emulated ? " (emulated)" : ""}`;

/** Geometric mean of a stack's guest/host ratios, each turned so that 1 = bare-host performance. */
export function overheadScore(s: StackSnapshot): { score: number; n: number } | undefined {
    const ratios = s.metrics.results.filter((r) => r.subject === "ratio" && r.mean > 0).map((r) => (r.better === "higher" ? r.mean : 1 / r.mean));
    if (!ratios.length) return undefined;
    return { score: Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length), n: ratios.length };
}

function find(s: StackSnapshot, name: string) {
    return s.metrics.results.find((r) => `${r.benchmark}.${r.metric}` === name);
}

type Found = { s: StackSnapshot; r: NonNullable<ReturnType<typeof find>> };

/** The best of stacks measured to one criterion, and whether it is significantly ahead of the runner-up. */
function rank(have: Found[]): string {
    const sign = have[0].r.better === "higher" ? -1 : 1;
    have.sort((a, b) => sign * (a.r.mean - b.r.mean));
    const [first, second] = have;
    const fmt = (x: Found) => `${label(x.s)} ${num(x.r.mean)} ${x.r.unit}`;
    if (!second) return fmt(first);
    const significant = welch(first.r.samples, second.r.samples).p < ALPHA;
    return `${fmt(first)}${significant ? "" : `, not significantly ahead of ${fmt(second)}`}`;
}

/**
 * The best stack for a metric. A figure whose criterion was not met is named, never ranked; stacks
 * measured to different criteria (the saturation search's p99 bound) are ranked only among their own.
 */
function best(stacks: StackSnapshot[], name: string): string {
    const found = stacks.map((s) => ({ s, r: find(s, name) })).filter((x) => x.r) as Found[];
    if (!found.length) return `${name} not measured`;
    const unreached = found.filter((x) => isUnreached(x.r)).map((x) => `${label(x.s)} unreached (p99 ≤ ${p99BoundOf(x.r)} ms not met)`);
    const groups = new Map<number | undefined, Found[]>();
    for (const x of found.filter((f) => !isUnreached(f.r))) groups.set(p99BoundOf(x.r), [...(groups.get(p99BoundOf(x.r)) ?? []), x]);
    const ranked =
        groups.size > 1
            ? [...groups.entries()].map(([bound, have]) => `at p99 ≤ ${bound} ms: ${rank(have)}`).concat("not ranked across different bounds")
            : [...groups.values()].map(rank);
    return [...ranked, ...unreached].join("; ");
}

/** How many of the sizes and caps the guests asked for the platform applied exactly, and what it could not. */
export function entitlement(s: StackSnapshot): { asked: number; applied: number; notApplied: string[] } | undefined {
    if (!s.guests) return undefined;
    let asked = 0;
    let applied = 0;
    const notApplied = new Set<string>();
    for (const g of Object.values(s.guests)) {
        const limits = g.limits ?? {};
        const wanted: [keyof AppliedLimits, number | undefined][] = [
            ["appliedMemoryMiB", g.memoryMiB],
            ["appliedVcpus", g.vcpus],
            ["appliedCpuPercent", limits.cpuPercent === undefined ? undefined : cpuShare(g.limits, g.vcpus)],
            ["appliedDiskReadIops", limits.diskIops],
            ["appliedDiskWriteIops", limits.diskIops],
            ["appliedDiskReadMBps", limits.diskMBps],
            ["appliedDiskWriteMBps", limits.diskMBps],
            ["appliedNetInMbps", limits.netMbps],
            ["appliedNetOutMbps", limits.netMbps],
        ];
        for (const [key, want] of wanted) {
            const got = g.details[key];
            if (got === undefined || want === undefined) continue;
            asked++;
            if (got === want) applied++;
            else
                notApplied.add(typeof got === "string" ? `${key.replace(/^applied/, "")}: ${got}` : `${key.replace(/^applied/, "")} ${got} instead of ${want}`);
        }
    }
    return { asked, applied, notApplied: [...notApplied] };
}

/** The thesis's pgbench results, as a share of bare metal (its 2013 hardware). */
const THESIS_DB_OF_BARE = "LXC 90 %, KVM 84 %, Xen 82 %";

/** The database's throughput in its guest as a share of the bare host's, per stack that ran the db benchmark. */
function database(stacks: StackSnapshot[]): string | undefined {
    const ratios = stacks.map((s) => ({ s, r: find(s, "db.ratio.tps") })).filter((x) => x.r);
    if (!ratios.length) return undefined;
    const shares = ratios.map(({ s, r }) => `${label(s)} ${(r!.mean * 100).toFixed(0)} %`).join("; ");
    return `database: pgbench TPS in the database guest as a share of the bare host's: ${shares} (thesis, 2013 hardware: ${THESIS_DB_OF_BARE})`;
}

/** Boot-to-ready of the slowest guest (and of a nested host), from the timings output. */
function bootTimes(s: StackSnapshot): string | undefined {
    const guests = Object.values(s.timings?.guests ?? {})
        .map((g) => g.bootToReadySeconds ?? NaN)
        .filter(Number.isFinite);
    if (!guests.length) return undefined;
    const host = s.timings?.host?.bootToReadySeconds;
    return `${label(s)} ${Math.max(...guests).toFixed(1)} s${host === undefined ? "" : ` after its nested host's ${host.toFixed(1)} s`}`;
}

/** The middleware's answer: at its limit when the saturation search ran, else at the fixed rate; loss under faults when tested. */
function middlewareLine(stacks: StackSnapshot[]): string {
    const ran = (name: string) => stacks.some((s) => find(s, name));
    const sum = (s: StackSnapshot, names: string[]) => {
        const found = names.map((n) => find(s, n)).filter((r) => r);
        return found.length ? num(found.reduce((a, r) => a + r!.mean, 0)) : "?";
    };
    const lost = stacks.map((s) => `${s.name} ${sum(s, ["pipeline.lost", "saturation.lost_at_saturation", "faults.lost"])}`).join(", ");
    const parts: string[] = [];
    if (ran("saturation.saturation_throughput"))
        parts.push(
            `highest sustainable throughput ${best(stacks, "saturation.saturation_throughput")}`,
            `lowest p99 at 90 % of it ${best(stacks, "saturation.latency_p99_at_90pct")}`,
            `share of the broker-only ceiling: ${stacks.map((s) => `${s.name} ${find(s, "saturation.saturation_of_ceiling") ? `${(find(s, "saturation.saturation_of_ceiling")!.mean * 100).toFixed(0)} %` : "?"}`).join(", ")}`,
        );
    if (ran("pipeline.throughput") || !parts.length)
        parts.push(
            `at the fixed rate: highest throughput ${best(stacks, "pipeline.throughput")}`,
            `lowest p95 latency ${best(stacks, "pipeline.latency_p95")}`,
        );
    if (ran("faults.lost"))
        parts.push(
            `under faults (worker killed, broker restarted): ${stacks.map((s) => `${s.name} lost ${sum(s, ["faults.lost"])}, redelivered ${sum(s, ["faults.redelivered"])}`).join("; ")}`,
        );
    return `middleware: ${parts.join("; ")}; observations lost: ${lost}`;
}

/** The middleware against the bare-host stack (platform native), when one is compared: the platform's cost for this service. */
function againstNative(stacks: StackSnapshot[]): string | undefined {
    const native = stacks.find((s) => s.metrics.platform === "native");
    if (!native) return undefined;
    // Only figures measured to one criterion, and met, are set against each other; the fixed-rate
    // run stands in only where neither side searched the limit.
    const share = (s: StackSnapshot, saturation: string, fixed: string): number | string | undefined => {
        const [a, b] = [find(s, saturation), find(native, saturation)];
        if (!a && !b) {
            const [x, y] = [find(s, fixed), find(native, fixed)];
            return x && y && y.mean > 0 ? x.mean / y.mean : undefined;
        }
        if (!a || !b) return undefined;
        if (isUnreached(a) || isUnreached(b)) return "not comparable (a criterion was not met)";
        if (p99BoundOf(a) !== p99BoundOf(b)) return `not comparable (p99 bound ${p99BoundOf(a)} ms vs ${p99BoundOf(b)} ms)`;
        return b.mean > 0 ? a.mean / b.mean : undefined;
    };
    const rows = stacks
        .filter((s) => s !== native)
        .map((s) => {
            const t = share(s, "saturation.saturation_throughput", "pipeline.throughput");
            const p99 = share(s, "saturation.latency_p99_at_90pct", "pipeline.latency_p99");
            if (typeof t === "string") return `${label(s)} ${t}`;
            return `${label(s)} ${t === undefined ? "?" : `${(t * 100).toFixed(0)} %`} of its throughput${typeof p99 === "number" ? `, p99 ×${num(p99)}` : ""}`;
        });
    return rows.length
        ? `middleware against the bare host (${native.name}): ${rows.join("; ")} (thesis, publish 50,000: LXC +3 %, KVM +27 %, Xen +16 % time)`
        : undefined;
}

/** Where the stacks ran, when not all on one machine (host name, cores, CPU model): their absolute figures then compare machines as much as platforms. */
export function machinesLine(stacks: StackSnapshot[]): string | undefined {
    const host = (s: StackSnapshot) => s.metrics.provenance.host;
    const identity = (s: StackSnapshot) => `${host(s).hostname ?? "?"}|${host(s).cpus ?? host(s).cores ?? "?"}|${host(s).cpuModel ?? "?"}`;
    if (new Set(stacks.map(identity)).size < 2) return undefined;
    const machine = (s: StackSnapshot) =>
        `${host(s).hostname ?? "?"} (${host(s).cpus ?? host(s).cores ?? "?"} cores${host(s).cpuModel ? `, ${host(s).cpuModel}` : ""})`;
    return `machines: ${stacks.map((s) => `${s.name} on ${machine(s)}`).join("; ")}: absolute figures of different machines are not comparable; each stack's guest/host ratios are against the bare-host run of its own machine`;
}

export function verdicts(stacks: StackSnapshot[]): string[] {
    const machines = machinesLine(stacks);
    const scores = stacks.map((s) => ({ s, o: overheadScore(s) }));
    const scored = scores.filter((x) => x.o).sort((a, b) => b.o!.score - a.o!.score);
    const overhead = scored.length
        ? `overhead: ${scored.map((x) => `${label(x.s)} keeps ${(x.o!.score * 100).toFixed(0)} % of bare-host performance`).join("; ")} (geometric mean of ${scored[0].o!.n} guest/host ratios); least overhead: ${scored[0].s.name}`
        : "overhead: no guest/host ratios measured";
    const middleware = middlewareLine(stacks);
    const ent = stacks.map((s) => ({ s, e: entitlement(s) })).filter((x) => x.e && x.e.asked);
    const entitlementLine = ent.length
        ? `entitlement: ${ent.map(({ s, e }) => `${s.name} applied ${e!.applied} of ${e!.asked} requested sizes and caps${e!.notApplied.length ? ` (${e!.notApplied.join("; ")})` : ""}`).join("; ")}`
        : "entitlement: no read-back of applied sizes in these outputs";
    const boots = stacks.map(bootTimes).filter((b) => b);
    const operational = boots.length ? `operational: boot to ready (slowest guest) ${boots.join("; ")}` : "operational: no boot timings in these outputs";
    const db = database(stacks);
    const bare = againstNative(stacks);
    const underLoad = entitlementUnderLoad(stacks);
    const isolation = isolationVerdict(stacks);
    const security = securityVerdict(stacks);
    const operations = operationsVerdict(stacks);
    const scaling = scalingVerdict(stacks);
    const density = densityVerdict(stacks);
    return [
        ...(machines ? [machines] : []),
        overhead,
        middleware,
        ...(bare ? [bare] : []),
        entitlementLine,
        ...(underLoad ? [underLoad] : []),
        ...(isolation ? [isolation] : []),
        ...(security ? [security] : []),
        operational,
        ...(operations ? [operations] : []),
        ...(scaling ? [scaling] : []),
        ...(density ? [density] : []),
        ...(db ? [db] : []),
    ];
}
