// A container's caps in liblxc's cgroup keys, on either hierarchy, and their read-back. cgroup v1
// (and hybrid, whose controllers stay on v1) takes `lxc.cgroup.<v1 file>`; the unified hierarchy
// takes `lxc.cgroup2.<v2 file>`. liblxc ignores the other kind's keys with a warning and starts the
// container uncapped: the read-back is what shows a cap held. Pure: golden-tested on both hierarchies.
import { cpuShare, GuestSpec } from "../driver";
import type { Applied } from "../driver";
import { appliedCpuPercent, bytesPerSecond } from "../common/limits";
import type { CgroupFacts, CgroupHierarchy } from "../../lib/cgroups";

export const CFS_PERIOD_US = 100000;

/** The controllers every container needs (CPU quota, memory limit, task limit): a host without them is refused. */
export const REQUIRED_CONTROLLERS = ["cpu", "memory", "pids"];

const isV2 = (h: CgroupHierarchy) => h === "v2";
/** The disk throttle's controller: blkio on v1, io on v2. */
const diskController = (h: CgroupHierarchy) => (isV2(h) ? "io" : "blkio");

/** Why a cap whose controller the host does not give containers is not applied. */
export function notDelegated(controller: string, facts: CgroupFacts): string {
    return `not applied: the ${controller} controller is not available to containers on this host's cgroup ${facts.hierarchy} hierarchy (${facts.source}: ${facts.controllers.join(" ") || "none"})`;
}

/** The disk throttle's lines: each direction, operations and bytes. */
function diskLines(spec: GuestSpec, dev: string, h: CgroupHierarchy): string[] {
    const { diskIops, diskMBps } = spec.limits;
    if (diskIops === 0 && diskMBps === 0) return [];
    const head = `# disk caps on ${dev}, reads and writes each`;
    if (isV2(h)) {
        const caps = [
            ...(diskMBps > 0 ? [`rbps=${bytesPerSecond(diskMBps)}`, `wbps=${bytesPerSecond(diskMBps)}`] : []),
            ...(diskIops > 0 ? [`riops=${diskIops}`, `wiops=${diskIops}`] : []),
        ];
        return [head, `lxc.cgroup2.io.max = ${dev} ${caps.join(" ")}`];
    }
    const v1 = (d: string, what: string, value: number) => `lxc.cgroup.blkio.throttle.${d}_${what}_device = ${dev} ${value}`;
    return [
        head,
        ...(diskIops > 0 ? ["read", "write"].map((d) => v1(d, "iops", diskIops)) : []),
        ...(diskMBps > 0 ? ["read", "write"].map((d) => v1(d, "bps", bytesPerSecond(diskMBps))) : []),
    ];
}

/** The container's cgroup lines: CPU quota, memory limit, task limit, cpuset and disk throttles the host's controllers allow. */
export function cgroupLines(spec: GuestSpec<{ pidsMax: number }>, blockDevice: string, facts: CgroupFacts): string[] {
    const h = facts.hierarchy;
    const has = (c: string) => facts.controllers.includes(c);
    const share = cpuShare(spec.limits, spec.vcpus);
    const quota = (share * CFS_PERIOD_US) / 100;
    const key = (v1: string, v2: string) => (isV2(h) ? `lxc.cgroup2.${v2}` : `lxc.cgroup.${v1}`);
    return [
        `# cgroup ${h}: ${spec.vcpus} vCPU(s) at ${share} % of one core as a CFS quota, memory as a hard limit`,
        ...(isV2(h)
            ? [`lxc.cgroup2.cpu.max = ${quota} ${CFS_PERIOD_US}`]
            : [`lxc.cgroup.cpu.cfs_period_us = ${CFS_PERIOD_US}`, `lxc.cgroup.cpu.cfs_quota_us = ${quota}`]),
        `${key("memory.limit_in_bytes", "memory.max")} = ${spec.memoryMiB * 1024 * 1024}`,
        "# a fork bomb in the container stops at its task limit",
        `${key("pids.max", "pids.max")} = ${spec.settings.pidsMax}`,
        ...(spec.cpuset && has("cpuset")
            ? ["# pinned: apart from the cores of what it is measured beside", `${key("cpuset.cpus", "cpuset.cpus")} = ${spec.cpuset}`]
            : []),
        ...(has(diskController(h)) ? diskLines(spec, blockDevice, h) : []),
    ];
}

/** The cgroup files the read-back asks liblxc for (`lxc-cgroup -n <name> <file>`). */
export function readBackFiles(spec: GuestSpec, facts: CgroupFacts): string[] {
    const h = facts.hierarchy;
    const has = (c: string) => facts.controllers.includes(c);
    const disk = spec.limits.diskIops > 0 || spec.limits.diskMBps > 0;
    const cpuset = spec.cpuset && has("cpuset") ? ["cpuset.cpus"] : [];
    if (isV2(h)) return ["cpu.max", "memory.max", "pids.max", ...cpuset, ...(disk && has("io") ? ["io.max"] : [])];
    const throttles = ["read_iops_device", "write_iops_device", "read_bps_device", "write_bps_device"].map((k) => `blkio.throttle.${k}`);
    return ["cpu.cfs_quota_us", "cpu.cfs_period_us", "memory.limit_in_bytes", "pids.max", ...cpuset, ...(disk && has("blkio") ? throttles : [])];
}

/** What the kernel holds for the container, in the keys every platform reports. */
export interface CgroupReadBack {
    appliedCpuQuotaUs: number;
    appliedCpuPeriodUs: number;
    appliedCpuPercent: Applied;
    appliedMemoryMiB: number;
    appliedPidsMax: Applied;
    appliedCpuset?: Applied;
    appliedDiskReadIops: Applied;
    appliedDiskWriteIops: Applied;
    appliedDiskReadMBps: Applied;
    appliedDiskWriteMBps: Applied;
}

/** "max" (no limit) as -1, so an unlimited value never reads as a number it is not. */
const limitOf = (text: string) => (text.trim() === "max" ? -1 : Number(text.trim()));

/** A v1 throttle file ("8:0 300" per device) as the value for one device, 0 when none. */
function v1Throttle(text: string | undefined, dev: string): number {
    const line = (text ?? "").split("\n").find((l) => l.trim().startsWith(`${dev} `));
    return line ? Number(line.trim().split(/\s+/)[1]) : 0;
}

/** v2's io.max ("8:0 rbps=… wbps=… riops=… wiops=…", "max" when unset) as the values for one device, 0 when none. */
function v2IoMax(text: string | undefined, dev: string): Record<"rbps" | "wbps" | "riops" | "wiops", number> {
    const line = (text ?? "").split("\n").find((l) => l.trim().startsWith(`${dev} `)) ?? "";
    const field = (k: string) => {
        const v = new RegExp(`\\b${k}=(\\S+)`).exec(line)?.[1];
        return v === undefined || v === "max" ? 0 : Number(v);
    };
    return { rbps: field("rbps"), wbps: field("wbps"), riops: field("riops"), wiops: field("wiops") };
}

/** The read-back of `readBackFiles`, by file; a cap whose controller the host lacks says so. */
export function parseReadBack(spec: GuestSpec, facts: CgroupFacts, files: Record<string, string>, dev: string): CgroupReadBack {
    const has = (c: string) => facts.controllers.includes(c);
    const disk = spec.limits.diskIops > 0 || spec.limits.diskMBps > 0;
    const diskNot = disk && !has(diskController(facts.hierarchy)) ? notDelegated(diskController(facts.hierarchy), facts) : undefined;
    let quota: number, period: number, memory: number, io: Record<"rbps" | "wbps" | "riops" | "wiops", number>;
    if (isV2(facts.hierarchy)) {
        const [q = "max", p = String(CFS_PERIOD_US)] = (files["cpu.max"] ?? "").trim().split(/\s+/);
        [quota, period, memory] = [limitOf(q), Number(p), limitOf(files["memory.max"] ?? "max")];
        io = v2IoMax(files["io.max"], dev);
    } else {
        [quota, period, memory] = [limitOf(files["cpu.cfs_quota_us"]), Number(files["cpu.cfs_period_us"]), limitOf(files["memory.limit_in_bytes"])];
        const t = (k: string) => v1Throttle(files[`blkio.throttle.${k}`], dev);
        io = { rbps: t("read_bps_device"), wbps: t("write_bps_device"), riops: t("read_iops_device"), wiops: t("write_iops_device") };
    }
    const pids = limitOf(files["pids.max"] ?? "max");
    return {
        appliedCpuQuotaUs: quota,
        appliedCpuPeriodUs: period,
        appliedCpuPercent: appliedCpuPercent(quota, period, 1),
        // An unlimited memory cgroup reads as -1 MiB: entitlement then reports the limit as not held.
        appliedMemoryMiB: memory < 0 ? -1 : memory / 1048576,
        appliedPidsMax: pids < 0 ? "not applied: pids.max reads max" : pids,
        ...(spec.cpuset ? { appliedCpuset: has("cpuset") ? (files["cpuset.cpus"] ?? "").trim() : notDelegated("cpuset", facts) } : {}),
        appliedDiskReadIops: diskNot ?? io.riops,
        appliedDiskWriteIops: diskNot ?? io.wiops,
        appliedDiskReadMBps: diskNot ?? io.rbps / 1e6,
        appliedDiskWriteMBps: diskNot ?? io.wbps / 1e6,
    };
}
