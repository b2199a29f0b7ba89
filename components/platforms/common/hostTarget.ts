// Where a platform's tools run: this machine, or a remote host reached over SSH (a real KVM host
// for the kvm stack, a Xen dom0 for the xen stack). Pure command construction, unit-tested.

export type HostTarget = { kind: "local" } | { kind: "ssh"; user: string; host: string; port: number; identityFile?: string };

const SSH_URI = /^ssh:\/\/([a-z_][a-z0-9_.-]*)@([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/;

/** Parses `ssh://user@host[:port]`; undefined when the text is not such a URI. */
export function parseSshUri(text: string): HostTarget | undefined {
    const m = SSH_URI.exec(text);
    if (!m) return undefined;
    const port = m[3] === undefined ? 22 : Number(m[3]);
    if (port < 1 || port > 65535) return undefined;
    return { kind: "ssh", user: m[1], host: m[2], port };
}

/** Options every SSH hop uses: never prompt, fail fast, trust a host key on first use. */
export function sshOptions(t: Extract<HostTarget, { kind: "ssh" }>): string[] {
    return [
        "-p",
        String(t.port),
        "-o",
        "BatchMode=yes",
        "-o",
        "ConnectTimeout=15",
        "-o",
        "StrictHostKeyChecking=accept-new",
        ...(t.identityFile ? ["-i", t.identityFile, "-o", "IdentitiesOnly=yes"] : []),
    ];
}

/** POSIX shell quoting, so a remote command gets exactly the arguments asked for. */
export function shellQuote(arg: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line that runs `cmd args` on the target host. */
export function commandOn(t: HostTarget, cmd: string, args: string[]): { file: string; args: string[] } {
    if (t.kind === "local") return { file: cmd, args };
    return { file: "ssh", args: [...sshOptions(t), `${t.user}@${t.host}`, "--", [cmd, ...args].map(shellQuote).join(" ")] };
}

/** libvirt's URI for the QEMU driver on the target (system instance). */
export function libvirtUri(t: HostTarget): string {
    if (t.kind === "local") return "qemu:///system";
    const query = t.identityFile ? `?keyfile=${encodeURIComponent(t.identityFile)}` : "";
    return `qemu+ssh://${t.user}@${t.host}:${t.port}/system${query}`;
}
