import { bool, ConfigError, intIn, Raw, rejectUnknown } from "../../lib/settings";
import { localHost, Platform } from "../platform";
import { parseHostSetting } from "../common/hostSetting";
import { ID_BASE, ID_COUNT, idRangeConflicts } from "./idmap";
import { lxcOperations } from "./operations";
import { lxcMemory } from "./memory";
import { REQUIRED_CONTROLLERS } from "./cgroupLimits";
import { shellQuote } from "../common/hostTarget";
import { CgroupFacts, perHierarchy } from "../../lib/cgroups";

/** What the host must give unprivileged containers, from its files (pure: unit-tested). */
export function checkUnprivileged(host: { maxUserNamespaces: string; subuid: string; subgid: string }, where = "this machine"): void {
    if (Number(host.maxUserNamespaces.trim()) === 0)
        throw new ConfigError(
            "lxc.privileged",
            `${where}'s kernel allows no user namespaces (/proc/sys/user/max_user_namespaces is 0)`,
            "Enable them, or run privileged containers: pulumi config set --path virt-testbed:lxc.privileged true.",
        );
    const taken = [...idRangeConflicts(host.subuid, "/etc/subuid"), ...idRangeConflicts(host.subgid, "/etc/subgid")];
    if (taken.length)
        throw new ConfigError(
            "lxc.privileged",
            `the containers' host ids ${ID_BASE}-${ID_BASE + ID_COUNT - 1} are already given to others (${taken.join("; ")})`,
            "Free that range, or run privileged containers: pulumi config set --path virt-testbed:lxc.privileged true.",
        );
}

/** Refuses a host that does not give containers the controllers every cap needs (pure: unit-tested). */
export function checkControllers(facts: CgroupFacts, host: string): void {
    const missing = REQUIRED_CONTROLLERS.filter((c) => !facts.controllers.includes(c));
    if (!missing.length) return;
    const fix =
        facts.hierarchy === "v2"
            ? `Give them to the unified hierarchy: unmount any cgroup v1 hierarchy that holds them, and boot without cgroup_disable=${missing.join(",")}.`
            : `Enable them in the kernel (cgroup_enable=${missing.join(",")} on its command line) and mount their hierarchies.`;
    throw new ConfigError(
        "platform",
        `lxc caps every container's CPU, memory and tasks, but ${host}'s cgroup ${facts.hierarchy} hierarchy gives containers no ${missing.join(", ")} controller (${facts.source} lists: ${facts.controllers.join(" ") || "none"})`,
        fix,
    );
}

export interface LxcSettings {
    /** Root in the container is root on the host (no user namespace): only when asked. */
    privileged: boolean;
    /** Tasks (processes and threads) the container may hold at once: a fork bomb stops there. */
    pidsMax: number;
}

/** Containers through liblxc on this machine. */
export const lxcPlatform: Platform<"lxc", LxcSettings> = {
    name: "lxc",
    parseSettings(raw: Raw): LxcSettings {
        rejectUnknown(raw, ["privileged", "pidsMax"], "lxc");
        return { privileged: bool(raw, "privileged", "lxc.privileged", false), pidsMax: intIn(raw, "pidsMax", "lxc.pidsMax", 4096, 64, 4194304) };
    },
    parseHost: (value) =>
        parseHostSetting(
            value,
            "local",
            ["local", "ssh"],
            () =>
                new ConfigError(
                    "host",
                    "nested hosts are for the xen platform only, this stack is lxc",
                    "Use host: local, or ssh://user@host for a remote one.",
                ),
        ),
    // Containers share the host's kernel: no per-guest process beside the guests' own.
    overheadMiB: () => 0,
    host: () => localHost(),
    // Caps need the host's cpu, memory and pids controllers; unprivileged containers need user namespaces, and host ids no one else was given.
    preflight(settings, host) {
        if (!host.profile.tools["lxc-start"])
            throw new ConfigError(
                "host",
                `${host.where} has no lxc-start (checked with command -v)`,
                "Install LXC there (Debian and Ubuntu: apt-get install lxc).",
            );
        checkControllers(host.profile.cgroups, host.where);
        if (!settings.privileged) checkUnprivileged(host.profile, host.where);
    },
    // The container's cgroup: every process in it (cgroup v1 counts ns, v2 µs).
    cpuSecondsProbe: (name) =>
        perHierarchy({
            v1: `lxc-cgroup -n ${shellQuote(name)} cpuacct.usage | awk '{ printf "%.3f\\n", $1 / 1e9 }'`,
            v2: `lxc-cgroup -n ${shellQuote(name)} cpu.stat | awk '$1 == "usage_usec" { printf "%.3f\\n", $2 / 1e6 }'`,
        }),
    guestProcessProbe: (name) => `lxc-info -n '${name}' -p -H`,
    operations: lxcOperations,
    memory: lxcMemory,
};
