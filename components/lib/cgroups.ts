// Which cgroup hierarchy a host mounts, and which controllers a new cgroup can use there. Debian 12,
// Ubuntu 22.04+, Fedora and RHEL 9 boot with the unified hierarchy (v2); older hosts mount one
// hierarchy per controller (v1); some mount both (hybrid: the controllers stay on v1, v2 holds
// none). Limits are written and read under different names on each, so code that touches a
// container's cgroup asks this first. Pure parsing beside one probe script, so any host can be read.
import { execFileSync } from "child_process";

export type CgroupHierarchy = "v1" | "v2" | "hybrid";

export interface CgroupFacts {
    hierarchy: CgroupHierarchy;
    /**
     * Controllers a container's cgroup can use: on v2 those the root cgroup has (cgroup.controllers:
     * liblxc, started as root, enables each of them for its containers itself), else the enabled v1 ones.
     */
    controllers: string[];
    /** Where the controllers were read, for an error that names what it checked. */
    source: string;
}

/**
 * Prints, one per line: the file system type of /sys/fs/cgroup, that of /sys/fs/cgroup/unified
 * (or "none"), the root's v2 controllers, and the enabled v1 controllers. Runs under `sh -e`.
 */
export const CGROUP_FACTS_SCRIPT = [
    "stat -fc %T /sys/fs/cgroup",
    "stat -fc %T /sys/fs/cgroup/unified 2>/dev/null || echo none",
    "cat /sys/fs/cgroup/cgroup.controllers 2>/dev/null || echo",
    `awk 'NR > 1 && $4 == 1 { printf "%s ", $1 } END { print "" }' /proc/cgroups`,
].join("; ");

/** The hierarchy from the file system types of /sys/fs/cgroup and /sys/fs/cgroup/unified. */
export function hierarchyOf(rootFsType: string, unifiedFsType: string): CgroupHierarchy {
    if (rootFsType.trim() === "cgroup2fs") return "v2";
    return unifiedFsType.trim() === "cgroup2fs" ? "hybrid" : "v1";
}

/** CGROUP_FACTS_SCRIPT's output, read. */
export function parseCgroupFacts(out: string): CgroupFacts {
    const [root = "", unified = "", available = "", v1 = ""] = out.split("\n");
    const hierarchy = hierarchyOf(root, unified);
    const words = (line: string) => line.trim().split(/\s+/).filter(Boolean);
    return hierarchy === "v2"
        ? { hierarchy, controllers: words(available), source: "/sys/fs/cgroup/cgroup.controllers" }
        : { hierarchy, controllers: words(v1), source: "/proc/cgroups" };
}

/** This machine's cgroup facts. */
export function localCgroupFacts(): CgroupFacts {
    return parseCgroupFacts(execFileSync("sh", ["-es"], { input: CGROUP_FACTS_SCRIPT, encoding: "utf8", timeout: 10_000 }));
}

/**
 * A shell script that runs `v2` on a host whose cgroups are unified and `v1` elsewhere (hybrid
 * keeps its controllers on v1), decided where and when it runs: probes outlive the up that made them.
 */
export function perHierarchy(scripts: { v1: string; v2: string }, root = "/sys/fs/cgroup"): string {
    return `if [ -e ${root}/cgroup.controllers ]; then ${scripts.v2}; else ${scripts.v1}; fi`;
}
