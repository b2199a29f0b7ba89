import { ConfigError } from "../../lib/settings";
import type { HostKind } from "../platform";
import { parseSshUri } from "./hostTarget";

/**
 * `virt-testbed:host` for a platform: unset is its default; "local" and "nested" where the platform
 * runs on that kind of host, refused with the platform's reason where not; ssh://user@host[:port]
 * is a remote host (its key and identity are the generic settings hostKey and hostIdentity).
 */
export function parseHostSetting(
    value: unknown,
    def: HostKind,
    accepted: readonly HostKind[],
    refuse: (kind: "local" | "nested") => ConfigError = (kind) => new ConfigError("host", `this platform does not run on a ${kind} host`, `Use host: ${def}.`),
): HostKind {
    if (value === undefined) return def;
    if (value === "local" || value === "nested") {
        if (value === def || accepted.includes(value)) return value;
        throw refuse(value);
    }
    if (typeof value === "string" && parseSshUri(value)) return "ssh";
    throw new ConfigError(
        "host",
        `must be ${[def, ...accepted.filter((k) => k !== def && k !== "ssh")].map((k) => `"${k}"`).join(", ")} or ssh://user@host[:port], got ${JSON.stringify(value)}`,
        `Use host: ${def}, or a URI such as ssh://root@host.example.`,
    );
}

/**
 * The refusal of a host that passed every check but that the platform cannot provision on yet: the
 * bridge, the base image and the guests are made on this machine only, and a nested host's dom0.
 */
export function notBuiltYet(
    platform: string,
    host: { where: string; kind: HostKind; profile: { kernel: string; cores: number; memoryMiB: number; cgroups: { hierarchy: string } } },
): ConfigError {
    const p = host.profile;
    return new ConfigError(
        "host",
        `${host.where} passed the checks (kernel ${p.kernel}, ${p.cores} cores, ${p.memoryMiB} MiB, cgroup ${p.cgroups.hierarchy}), but ${platform} stacks on ${host.kind === "ssh" ? "a remote host" : "this machine's own Xen"} are not provisioned yet: the bridge, the base image and the guests are made only where this testbed made them so far`,
        'See README, "Hosts", for what runs where today.',
    );
}
