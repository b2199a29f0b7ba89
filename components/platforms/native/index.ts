import { ConfigError, Raw, rejectUnknown } from "../../lib/settings";
import { localHost, Platform } from "../platform";
import { parseHostSetting } from "../common/hostSetting";

/** native has no settings of its own. */
export type NativeSettings = Record<string, never>;

/**
 * The bare-host baseline: each guest is a chroot of the base image run by the host's kernel in the
 * host's namespaces, except a network namespace of its own on the stack's bridge, so that the
 * stack's services never listen on the host's interfaces and the path between roles is the
 * platforms' (veth + bridge). No virtualization and no resource limits.
 */
export const nativePlatform: Platform<"native", NativeSettings> = {
    name: "native",
    parseSettings(raw: Raw): NativeSettings {
        rejectUnknown(raw, [], "native");
        return {};
    },
    parseHost: (value) =>
        parseHostSetting(
            value,
            "local",
            ["local", "ssh"],
            () =>
                new ConfigError(
                    "host",
                    "nested hosts are for the xen platform only, this stack is native",
                    "Use host: local, or ssh://user@host for a remote one.",
                ),
        ),
    overheadMiB: () => 0,
    cannotPin: "native guests run without resource limits",
    host: () => localHost(),
};
