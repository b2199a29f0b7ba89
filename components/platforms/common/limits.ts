import * as fs from "fs";
import { run, tryRun } from "../../lib/exec";
import type { Applied, AppliedLimits } from "../driver";

export type { Applied } from "../driver";

// Disk and network caps shared by the drivers. Every cap applies to each direction (reads and
// writes, traffic in and out), so a cap means the same on every platform.

const MB = 1_000_000;

/** Byte rate of a MB/s cap (decimal megabytes, as fio and libvirt count them). */
export const bytesPerSecond = (mbps: number) => mbps * MB;

/** A token-bucket qdisc for a cap; the bucket holds at least one timer tick of traffic (HZ 250). */
export function tbfQdisc(mbps: number): string[] {
    const burstKb = Math.max(32, Math.ceil((mbps * 1e6) / 8 / 250 / 1024));
    return ["tbf", "rate", `${mbps}mbit`, "burst", `${burstKb}kb`, "latency", "50ms"];
}

/** tc arguments capping an interface's egress: on a guest's host-side link, the traffic *into* the guest. */
export function tbfArgs(dev: string, mbps: number): string[] {
    return ["qdisc", "replace", "dev", dev, "root", ...tbfQdisc(mbps)];
}

/** The root tbf rate of `tc qdisc show dev X` in Mbit/s, or 0 when the interface has no tbf. */
export function parseTbfMbps(out: string): number {
    const m = /qdisc tbf \S+ root\b.*?\brate (\d+(?:\.\d+)?)([KMG]?)bit/.exec(out);
    if (!m) return 0;
    const scale: Record<string, number> = { "": 1e-6, K: 1e-3, M: 1, G: 1e3 };
    return Number(m[1]) * scale[m[2]];
}

/** `nsenter` prefix that runs a host tool in a process's network namespace (a container's). */
const inNetns = (pid: number | undefined, cmd: string[]) => (pid === undefined ? cmd : ["nsenter", "-t", String(pid), "-n", ...cmd]);

/** Caps an interface's egress (in the network namespace of `pid` when given) and reads the cap back. */
export async function capEgress(dev: string, mbps: number, pid?: number): Promise<number> {
    if (mbps > 0) {
        const [cmd, ...args] = inNetns(pid, ["tc", ...tbfArgs(dev, mbps)]);
        await run(cmd, args, { timeoutMs: 30_000 });
    }
    const [cmd, ...args] = inNetns(pid, ["tc", "qdisc", "show", "dev", dev]);
    return parseTbfMbps((await tryRun(cmd, args, { timeoutMs: 30_000 })) ?? "");
}

/**
 * The whole-disk device ("major:minor") that holds a directory: the cgroup v1 blkio throttle
 * accepts whole disks only, not partitions.
 */
export function blockDeviceOf(dir: string): string {
    const dev = fs.statSync(dir).dev;
    const id = `${Math.floor(dev / 256) & 0xfff}:${(dev & 0xff) | (Math.floor(dev / 4096) & 0xfff00)}`;
    const sys = fs.realpathSync(`/sys/dev/block/${id}`);
    return fs.existsSync(`${sys}/partition`) ? fs.readFileSync(`${sys}/../dev`, "utf8").trim() : id;
}

/** A CFS quota read back as a CPU share in % of one core (`perVcpus` vCPUs each with that quota); -1 is none. */
export function appliedCpuPercent(quotaUs: number, periodUs: number, perVcpus: number): Applied {
    return quotaUs < 0 ? "not applied: no CFS quota" : Math.round((quotaUs / periodUs) * 100 * perVcpus * 10) / 10;
}

/** The read-back disk and network caps a driver reports, under the same keys for every platform (0 = uncapped). */
export function appliedLimits(a: {
    readIops: Applied;
    writeIops: Applied;
    readMBps: Applied;
    writeMBps: Applied;
    netInMbps: Applied;
    netOutMbps: Applied;
}): Omit<AppliedLimits, "appliedMemoryMiB" | "appliedVcpus" | "appliedCpuPercent"> {
    return {
        appliedDiskReadIops: a.readIops,
        appliedDiskWriteIops: a.writeIops,
        appliedDiskReadMBps: a.readMBps,
        appliedDiskWriteMBps: a.writeMBps,
        appliedNetInMbps: a.netInMbps,
        appliedNetOutMbps: a.netOutMbps,
    };
}

/** The qdisc line a VM's init printed on its console for its own NIC (see vm-init.sh). */
export function consoleQdisc(consoleLog: string): string | undefined {
    const lines = consoleLog.split("\n").filter((l) => l.startsWith("vtb-eth0-qdisc: "));
    return lines.length ? lines[lines.length - 1].slice("vtb-eth0-qdisc: ".length) : undefined;
}
