import { ConfigError } from "../../lib/settings";
import type { HostKind } from "../platform";
import { parseSshUri } from "./hostTarget";

/**
 * `virt-testbed:host` for a platform that runs on one kind of host: unset or that kind is
 * accepted; the other kind is refused with the platform's reason; ssh://user@host is parsed, then
 * refused (the base image and the bridge are made on this machine only).
 */
export function parseHostSetting(value: unknown, platform: string, def: HostKind, wrongKind: () => ConfigError): HostKind {
    if (value === undefined || value === def) return def;
    if (value === "local" || value === "nested") throw wrongKind();
    const remote = typeof value === "string" ? parseSshUri(value) : undefined;
    if (!remote) {
        throw new ConfigError(
            "host",
            `must be "${def}" or ssh://user@host[:port], got ${JSON.stringify(value)}`,
            `Use host: ${def}, or a URI such as ssh://root@host.example.`,
        );
    }
    throw new ConfigError(
        "host",
        `remote ${platform} hosts (${value}) are not provisioned yet: the base image and the bridge are made on this machine only`,
        `Use host: ${def}.`,
    );
}
