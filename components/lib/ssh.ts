import * as net from "net";
import { interrupted, run, RunOptions, sleep, withSecretFile } from "./exec";

/** How the testbed reaches a guest: root over SSH with the stack's own key. */
export interface SshTarget {
    address: string;
    privateKey: string;
}

export function sshArgs(keyFile: string, address: string): string[] {
    return [
        "-i",
        keyFile,
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "ConnectTimeout=15",
        `root@${address}`,
    ];
}

/** Runs a shell script in the guest; the script travels on stdin so secrets never show in `ps`. */
export function sshScript(target: SshTarget, script: string, opts: RunOptions = {}): Promise<string> {
    return withSecretFile(target.privateKey, (key) => run("ssh", [...sshArgs(key, target.address), "sh -es"], { ...opts, input: script }));
}

/** Streams a local directory into the guest with tar over SSH. */
export function sshUpload(target: SshTarget, localDir: string, remoteDir: string): Promise<string> {
    return withSecretFile(target.privateKey, (key) =>
        run(
            "sh",
            [
                "-c",
                `tar -C "$1" -cf - . | ssh ${sshArgs(key, target.address)
                    .map((a) => `'${a}'`)
                    .join(" ")} "mkdir -p '$2' && tar -C '$2' -xf -"`,
                "upload",
                localDir,
                remoteDir,
            ],
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
