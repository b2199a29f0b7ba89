// A host the user names (`ssh://user@host[:port]`), reached over SSH with its host key pinned: the
// key itself, or its SHA256 fingerprint checked against what the host offers. Never accept-new,
// never StrictHostKeyChecking=no. Synchronous: preflight reads a host before anything is provisioned.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { privateTempDir, removeTempDir } from "./exec";

export interface SshHost {
    user: string;
    host: string;
    port: number;
    /** Pinned: a public key ("ssh-ed25519 AAAA…") or its fingerprint ("SHA256:…"). */
    hostKey: string;
    /** The private key the testbed logs in with; ssh's own defaults (and agent) when absent. */
    identityFile?: string;
}

export const PUBLIC_KEY = /^(ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa) [A-Za-z0-9+/]+=*$/;
export const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export const sshHostLabel = (h: Pick<SshHost, "user" | "host" | "port">) => `${h.user}@${h.host}${h.port === 22 ? "" : `:${h.port}`}`;

/** The host's name as known_hosts spells it: [host]:port unless the port is 22 (an IPv6 address is given without brackets). */
export const knownHostsName = (h: Pick<SshHost, "host" | "port">) => (h.port === 22 ? h.host : `[${h.host}]:${h.port}`);

/** Why a connection failed, as ssh words it: the host never answered, its key is not the pinned one, or it refused our key. */
export type SshFailure = "unreachable" | "hostKey" | "auth" | "command";

export function classifySshFailure(stderr: string, exitCode: number): SshFailure {
    // ssh's own failures exit 255; anything else is the remote command's, whatever it printed.
    if (exitCode !== 255) return "command";
    if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|host key .*differs|No \S+ host key is known/i.test(stderr)) return "hostKey";
    if (/Permission denied|Too many authentication failures/i.test(stderr)) return "auth";
    if (/Could not resolve|connect to host|Connection (refused|timed out|closed)|No route to host|Network is unreachable|timed out/i.test(stderr))
        return "unreachable";
    return "command";
}

export class SshHostError extends Error {
    constructor(
        readonly failure: SshFailure,
        message: string,
    ) {
        super(message);
        this.name = "SshHostError";
    }
}

/** The fingerprint of one public key line (`ssh-keygen -lf`). */
function fingerprintOf(keyLine: string): { fingerprint: string; type: string } {
    const out = execFileSync("ssh-keygen", ["-lf", "-"], { input: `${keyLine}\n`, encoding: "utf8" }).trim();
    const m = /^\d+ (SHA256:\S+) .*\((\S+)\)$/.exec(out);
    if (!m) throw new Error(`unexpected ssh-keygen -lf output: ${out}`);
    return { fingerprint: m[1], type: m[2] };
}

/**
 * The known_hosts line that pins the host: the given key, or the key the host offers whose
 * fingerprint is the pinned one (any other is refused, naming what the host offered).
 */
export function knownHostsLine(h: SshHost): string {
    const name = knownHostsName(h);
    if (PUBLIC_KEY.test(h.hostKey)) return `${name} ${h.hostKey}`;
    let scanned: string;
    try {
        scanned = execFileSync("ssh-keyscan", ["-p", String(h.port), "-T", "15", "--", h.host], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
            timeout: 30_000,
        });
    } catch (e) {
        throw new SshHostError(
            "unreachable",
            `ssh-keyscan could not read ${sshHostLabel(h)}'s host keys: ${String((e as { stderr?: string }).stderr ?? e).trim()}`,
        );
    }
    const keys = scanned
        .split("\n")
        .filter((l) => l && !l.startsWith("#"))
        .map((l) => l.split(/\s+/).slice(1, 3).join(" "));
    if (!keys.length) throw new SshHostError("unreachable", `${sshHostLabel(h)} offered no host key (nothing answered ssh-keyscan)`);
    const offered = keys.map((k) => ({ key: k, ...fingerprintOf(k) }));
    const match = offered.find((o) => o.fingerprint === h.hostKey);
    if (!match)
        throw new SshHostError(
            "hostKey",
            `${sshHostLabel(h)} offers ${offered.map((o) => `${o.fingerprint} (${o.type})`).join(", ")}, none of them the pinned ${h.hostKey}`,
        );
    return `${name} ${match.key}`;
}

/**
 * ssh's arguments for the host: the pinned key alone is trusted (no known-hosts command or DNS
 * record from an ssh_config can add another), no prompt, a bounded connect.
 */
export function sshHostArgs(h: SshHost, knownHostsFile: string): string[] {
    return [
        ...["-p", String(h.port), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", `UserKnownHostsFile=${knownHostsFile}`],
        ...["-o", "GlobalKnownHostsFile=/dev/null", "-o", "KnownHostsCommand=none", "-o", "VerifyHostKeyDNS=no"],
        ...["-o", "ConnectTimeout=15", "-o", "LogLevel=ERROR"],
        ...(h.identityFile ? ["-i", h.identityFile, "-o", "IdentitiesOnly=yes"] : []),
        `${h.user}@${h.host}`,
    ];
}

/** Runs a shell script on the host (on stdin, so nothing shows in `ps`); throws an SshHostError that says which step failed. */
export function hostScriptSync(h: SshHost, script: string, timeoutMs = 60_000): string {
    const dir = privateTempDir("vtb-host-");
    try {
        const known = path.join(dir, "known_hosts");
        fs.writeFileSync(known, `${knownHostsLine(h)}\n`);
        try {
            return execFileSync("ssh", [...sshHostArgs(h, known), "sh -es"], {
                input: script,
                encoding: "utf8",
                stdio: ["pipe", "pipe", "pipe"],
                timeout: timeoutMs,
            });
        } catch (e) {
            const err = e as { stderr?: string; status?: number | null; signal?: string | null };
            const stderr = String(err.stderr ?? "").trim();
            if (err.signal) throw new SshHostError("unreachable", `no answer from ${sshHostLabel(h)} within ${timeoutMs / 1000} s`);
            throw new SshHostError(classifySshFailure(stderr, err.status ?? -1), `${sshHostLabel(h)}: ${stderr || `exit ${err.status}`}`);
        }
    } finally {
        removeTempDir(dir);
    }
}
