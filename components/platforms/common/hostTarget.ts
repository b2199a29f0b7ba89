// Where a platform's tools run: this machine, or a remote host reached over SSH with its host key
// pinned (a real KVM host for the kvm stack, a Xen dom0 for the xen stack). Pure, unit-tested.
import type { SshHost } from "../../lib/sshHost";

export type HostTarget = { kind: "local" } | ({ kind: "ssh" } & SshHost);

// A host name never starts with "-" (ssh and ssh-keyscan would take it for an option).
const SSH_URI = /^ssh:\/\/([a-z_][a-z0-9_.-]*)@([A-Za-z0-9][A-Za-z0-9.-]*|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/;

/** Parses `ssh://user@host[:port]` (an IPv6 address in brackets, returned without them); undefined when the text is not such a URI. */
export function parseSshUri(text: string): { user: string; host: string; port: number } | undefined {
    const m = SSH_URI.exec(text);
    if (!m) return undefined;
    const port = m[3] === undefined ? 22 : Number(m[3]);
    if (port < 1 || port > 65535) return undefined;
    return { user: m[1], host: m[2].replace(/^\[(.*)\]$/, "$1"), port };
}

/** POSIX shell quoting, so a remote command gets exactly the arguments asked for. */
export function shellQuote(arg: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * libvirt's URI for the QEMU driver on the target (system instance): its own SSH transport for a
 * remote host. Not used for a remote host yet: remote kvm stacks will need the libssh transport
 * (`qemu+libssh://…?known_hosts=<file>&known_hosts_verify=normal`; Debian's libvirt0 links libssh),
 * since this one cannot be handed the pinned key.
 */
export function libvirtUri(t: HostTarget): string {
    if (t.kind === "local") return "qemu:///system";
    const query = t.identityFile ? `?keyfile=${encodeURIComponent(t.identityFile)}` : "";
    return `qemu+ssh://${t.user}@${t.host}:${t.port}/system${query}`;
}
