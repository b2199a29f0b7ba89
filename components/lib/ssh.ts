import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { interrupted, privateTempDir, removeTempDir, run, RunOptions, sleep } from "./exec";

/**
 * How the testbed reaches a guest: root over SSH with the stack's own key, and the guest's host
 * key, which the testbed generated and pinned when it made the guest (no other key is accepted).
 */
export interface SshTarget {
    address: string;
    privateKey: string;
    /** The guest's public host key (`ssh-ed25519 AAAA…`). */
    hostKey: string;
}

/** An ed25519 key pair from ssh-keygen: the stack's client key, or a guest's host key. */
export async function ed25519KeyPair(comment: string): Promise<{ privateKey: string; publicKey: string }> {
    const dir = privateTempDir("vtb-key-");
    try {
        await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path.join(dir, "id")]);
        return {
            privateKey: fs.readFileSync(path.join(dir, "id"), "utf8"),
            publicKey: fs.readFileSync(path.join(dir, "id.pub"), "utf8").trim(),
        };
    } finally {
        removeTempDir(dir);
    }
}

/** A public key without its comment: the form known_hosts and the outputs hold. */
export function keyOnly(publicKey: string): string {
    return publicKey.trim().split(/\s+/).slice(0, 2).join(" ");
}

/** ssh's options for a target: our key, and only the pinned host key is accepted for its address. */
export function sshArgs(keyFile: string, knownHostsFile: string, address: string): string[] {
    return [
        "-i",
        keyFile,
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        `UserKnownHostsFile=${knownHostsFile}`,
        "-o",
        "GlobalKnownHostsFile=/dev/null",
        "-o",
        "HostKeyAlgorithms=ssh-ed25519",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "ConnectTimeout=15",
        `root@${address}`,
    ];
}

/** The private key and the target's known_hosts line as files for the duration of fn (a private directory). */
async function withTargetFiles<T>(target: SshTarget, fn: (args: string[]) => Promise<T>): Promise<T> {
    if (!/^ssh-ed25519 \S+/.test(target.hostKey ?? ""))
        throw new Error(`no pinned SSH host key for ${target.address}: the testbed will not connect to it blind`);
    const dir = privateTempDir("vtb-ssh-");
    try {
        const key = path.join(dir, "key");
        const known = path.join(dir, "known_hosts");
        fs.writeFileSync(key, target.privateKey.endsWith("\n") ? target.privateKey : `${target.privateKey}\n`, { mode: 0o600 });
        fs.writeFileSync(known, `${target.address} ${keyOnly(target.hostKey)}\n`);
        return await fn(sshArgs(key, known, target.address));
    } finally {
        removeTempDir(dir);
    }
}

/** ssh's own words when it never reached the guest's sshd: nothing ran there, so another try is safe. */
const NOT_CONNECTED = /ssh: connect to host \S+ port \d+: (No route to host|Connection refused|Connection timed out|Network is unreachable)/;

/**
 * Tries again, for `seconds`, while ssh could not connect at all: a guest of a nested, emulated
 * host can miss its ARP replies for a few seconds while it starts its services (measured: a xen
 * domU answered on port 22, then gave "No route to host" 11 s later). Any other error is final.
 * For set-up steps only: a probe that times how soon a guest answers must see every refusal.
 */
export async function untilConnected<T>(attempt: () => Promise<T>, seconds = 120, pauseMs = 5000, stopped: () => boolean = interrupted): Promise<T> {
    const start = Date.now();
    for (;;) {
        try {
            return await attempt();
        } catch (e) {
            const unconnected = NOT_CONNECTED.test(e instanceof Error ? e.message : String(e));
            if (!unconnected || stopped() || Date.now() - start + pauseMs > seconds * 1000) throw e;
            await sleep(pauseMs);
        }
    }
}

/** Runs a shell script in the guest; the script travels on stdin so secrets never show in `ps`. */
export function sshScript(target: SshTarget, script: string, opts: RunOptions = {}): Promise<string> {
    return withTargetFiles(target, (args) => run("ssh", [...args, "sh -es"], { ...opts, input: script }));
}

/** Streams a local directory into the guest with tar over SSH. */
export function sshUpload(target: SshTarget, localDir: string, remoteDir: string): Promise<string> {
    return withTargetFiles(target, (args) =>
        run(
            "sh",
            ["-c", `tar -C "$1" -cf - . | ssh ${args.map((a) => `'${a}'`).join(" ")} "mkdir -p '$2' && tar -C '$2' -xf -"`, "upload", localDir, remoteDir],
            { timeoutMs: 300_000 },
        ),
    );
}

/**
 * One TCP connection attempt: "open", "closed" (refused, or no such host on the link: the kernel
 * answered) or "timeout" (no answer in time: a loaded host looks like that too, so it proves nothing).
 */
export function tcpProbe(address: string, port: number, timeoutMs = 1000): Promise<"open" | "closed" | "timeout"> {
    return new Promise((resolve) => {
        const sock = net.connect({ host: address, port, timeout: timeoutMs });
        const done = (answer: "open" | "closed" | "timeout") => {
            sock.destroy();
            resolve(answer);
        };
        sock.on("connect", () => done("open"));
        sock.on("timeout", () => done("timeout"));
        sock.on("error", () => done("closed"));
    });
}

export async function tcpOpen(address: string, port: number, timeoutMs = 1000): Promise<boolean> {
    return (await tcpProbe(address, port, timeoutMs)) === "open";
}

/** Polls until a TCP port accepts connections; returns the seconds waited. */
export async function waitForPort(address: string, port: number, timeoutSeconds: number): Promise<number> {
    const start = Date.now();
    while (Date.now() - start < timeoutSeconds * 1000) {
        if (interrupted()) throw new Error(`interrupted while waiting for ${address}:${port}`);
        if (await tcpOpen(address, port)) return (Date.now() - start) / 1000;
        await sleep(250);
    }
    throw new Error(`${address}:${port} did not accept connections within ${timeoutSeconds} s`);
}
