import { ConfigError, Raw, rejectUnknown } from "../../lib/settings";
import { localHost, Platform } from "../platform";
import { parseHostSetting } from "../common/hostSetting";

/** lxc has no settings of its own yet. */
export type LxcSettings = Record<string, never>;

/** Containers through liblxc on this machine. */
export const lxcPlatform: Platform<"lxc", LxcSettings> = {
    name: "lxc",
    parseSettings(raw: Raw): LxcSettings {
        rejectUnknown(raw, [], "lxc");
        return {};
    },
    parseHost: (value) =>
        parseHostSetting(
            value,
            "lxc",
            "local",
            () => new ConfigError("host", "nested hosts are for the xen platform only, this stack is lxc", "Use host: local."),
        ),
    // Containers share the host's kernel: no per-guest process beside the guests' own.
    overheadMiB: () => 0,
    host: () => localHost(),
    // The container's cgroup: every process in it, in ns.
    cpuSecondsProbe: (name) => `lxc-cgroup -n '${name}' cpuacct.usage | awk '{ printf "%.3f\\n", $1 / 1e9 }'`,
    guestProcessProbe: (name) => `lxc-info -n '${name}' -p -H`,
};
