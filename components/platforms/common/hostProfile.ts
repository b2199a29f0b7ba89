// What a host offers a platform, read by one script that runs the same on this machine and on a
// remote host over SSH: its kernel, cores and memory, user namespaces and id ranges, the cgroup
// hierarchy, whether its kernel is a Xen dom0, and which platform tools it has. Preflight judges a
// stack's settings by it before anything is provisioned.
import { execFileSync } from "child_process";
import { CGROUP_FACTS_SCRIPT, CgroupFacts, parseCgroupFacts } from "../../lib/cgroups";

export const PLATFORM_TOOLS = ["lxc-start", "virsh", "xl", "qemu-system-x86_64"] as const;

export interface HostProfile {
    kernel: string;
    cores: number;
    memoryMiB: number;
    /** /proc/sys/user/max_user_namespaces ("0" when absent). */
    maxUserNamespaces: string;
    subuid: string;
    subgid: string;
    /** /proc/xen/capabilities: "control_d" on a dom0, empty in a domU or without Xen. */
    xenCapabilities: string;
    /** Whether /proc/xen exists at all (Xen runs beneath this kernel). */
    xen: boolean;
    /** Whether /dev/kvm exists (hardware virtualization offered; it may still not work). */
    kvmDevice: boolean;
    tools: Record<(typeof PLATFORM_TOOLS)[number], boolean>;
    cgroups: CgroupFacts;
}

/** Prints the profile: key=value lines, then the id ranges and the cgroup facts in their own sections. Runs under `sh -e`, here and over SSH. */
export const HOST_PROFILE_SCRIPT = [
    'echo "kernel=$(uname -r)"',
    'echo "cores=$(nproc)"',
    "awk '/^MemTotal:/ { print \"memoryKiB=\" $2 }' /proc/meminfo",
    'echo "userns=$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)"',
    'echo "xen=$([ -d /proc/xen ] && echo yes || echo no)"',
    // xenfs may be unmounted on a dom0: its capabilities file is then absent too.
    'echo "xencaps=$(cat /proc/xen/capabilities 2>/dev/null | tr "\\n" " ")"',
    'echo "kvm=$([ -c /dev/kvm ] && echo yes || echo no)"',
    ...PLATFORM_TOOLS.map((t) => `echo "tool.${t}=$(command -v ${t} >/dev/null 2>&1 && echo yes || echo no)"`),
    // Absent files are no ranges; a file without a final newline must not swallow the next marker.
    'echo "--subuid"; { cat /etc/subuid 2>/dev/null; echo; } || true',
    'echo "--subgid"; { cat /etc/subgid 2>/dev/null; echo; } || true',
    `echo "--cgroup"; ${CGROUP_FACTS_SCRIPT}`,
].join("\n");

/** HOST_PROFILE_SCRIPT's output, read. */
export function parseHostProfile(out: string): HostProfile {
    const [head, ...sections] = out.split(/^--(?=subuid$|subgid$|cgroup$)/m);
    const section = (name: string) => (sections.find((s) => s.startsWith(`${name}\n`)) ?? `${name}\n`).slice(name.length + 1);
    const kv = Object.fromEntries(
        head
            .split("\n")
            .filter((l) => l.includes("="))
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1).trim()]),
    );
    return {
        kernel: kv.kernel ?? "unknown",
        cores: Number(kv.cores),
        memoryMiB: Math.floor(Number(kv.memoryKiB) / 1024),
        maxUserNamespaces: kv.userns ?? "0",
        subuid: section("subuid"),
        subgid: section("subgid"),
        xenCapabilities: kv.xencaps ?? "",
        xen: kv.xen === "yes",
        kvmDevice: kv.kvm === "yes",
        tools: Object.fromEntries(PLATFORM_TOOLS.map((t) => [t, kv[`tool.${t}`] === "yes"])) as HostProfile["tools"],
        cgroups: parseCgroupFacts(section("cgroup")),
    };
}

/** Whether the host's kernel is Xen's control domain (dom0): `control_d` in /proc/xen/capabilities. */
export const isDom0 = (p: Pick<HostProfile, "xenCapabilities">) => p.xenCapabilities.split(/[\s,]+/).includes("control_d");

/** What isDom0 looked at, for a refusal that names it. */
export function dom0Evidence(p: Pick<HostProfile, "xen" | "xenCapabilities">): string {
    if (!p.xen) return "/proc/xen does not exist (no Xen beneath this kernel)";
    return p.xenCapabilities.trim()
        ? `/proc/xen/capabilities says "${p.xenCapabilities.trim()}", not control_d`
        : "/proc/xen/capabilities is empty or unreadable (a domU, or xenfs not mounted)";
}

/** This machine's profile. */
export function localHostProfile(): HostProfile {
    return parseHostProfile(execFileSync("sh", ["-es"], { input: HOST_PROFILE_SCRIPT, encoding: "utf8", timeout: 30_000 }));
}
