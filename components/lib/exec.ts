import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface RunOptions {
    input?: string;
    /** Kill the command after this long; no command of ours may hang an up forever. */
    timeoutMs?: number;
    env?: NodeJS.ProcessEnv;
}

/** Process groups of the commands running now, and private temporary directories: what an interrupt must end and remove. */
const running = new Set<number>();
const tempDirs = new Set<string>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(-pid, signal);
    } catch {
        // already gone
    }
}

let interruptedFlag = false;

/** True once an interrupt arrived: waits and polls give up, so the operation fails and cleans up after itself. */
export function interrupted(): boolean {
    return interruptedFlag;
}

/**
 * Ends every command still running (each in its own process group: debootstrap, qemu-img, ssh and
 * what they started), TERM first then KILL, and removes the temporary key files and directories.
 * Commands started afterwards (the failed operation's own clean-up) run normally.
 */
export async function stopEverything(): Promise<void> {
    interruptedFlag = true;
    for (const pid of running) killGroup(pid, "SIGTERM");
    for (let i = 0; i < 50 && running.size > 0; i++) await sleep(100);
    for (const pid of running) killGroup(pid, "SIGKILL");
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs a command without a shell; resolves with stdout, rejects with the command's stderr. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
    return new Promise((resolve, reject) => {
        // Its own process group, so a timeout also ends what the command started (a child that
        // keeps our pipes open would otherwise keep us waiting for ever).
        const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"], env: opts.env ?? process.env, detached: true });
        if (child.pid !== undefined) running.add(child.pid);
        let out = "";
        let err = "";
        const timeoutMs = opts.timeoutMs ?? 600_000;
        const timer = setTimeout(() => {
            try {
                process.kill(-(child.pid as number), "SIGKILL");
            } catch {
                // already gone
            }
            reject(new Error(`${cmd} ${args.slice(0, 3).join(" ")} timed out after ${timeoutMs / 1000} s: ${err.trim().split("\n").slice(-5).join("\n")}`));
        }, timeoutMs);
        child.stdout.on("data", (d: Buffer) => (out += d));
        child.stderr.on("data", (d: Buffer) => (err += d));
        child.on("error", (e) => {
            clearTimeout(timer);
            if (child.pid !== undefined) running.delete(child.pid);
            reject(e);
        });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            if (child.pid !== undefined) running.delete(child.pid);
            if (code === 0) resolve(out);
            else
                reject(new Error(`${cmd} ${args.slice(0, 3).join(" ")} failed (${signal ?? `exit ${code}`}): ${err.trim().split("\n").slice(-15).join("\n")}`));
        });
        child.stdin.on("error", () => undefined);
        child.stdin.end(opts.input ?? "");
    });
}

/** Like run, but a failure resolves to undefined (for probes and best-effort cleanup). */
export async function tryRun(cmd: string, args: string[], opts: RunOptions = {}): Promise<string | undefined> {
    try {
        return await run(cmd, args, opts);
    } catch {
        return undefined;
    }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A private temporary directory that an interrupt removes too (stopEverything). */
export function privateTempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.chmodSync(dir, 0o700);
    tempDirs.add(dir);
    return dir;
}

export function removeTempDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
}

/** Writes a secret to a private temporary file for the duration of fn, then removes it. */
export async function withSecretFile<T>(content: string, fn: (file: string) => Promise<T>): Promise<T> {
    const dir = privateTempDir("vtb-");
    const file = path.join(dir, "key");
    fs.writeFileSync(file, content.endsWith("\n") ? content : content + "\n", { mode: 0o600 });
    try {
        return await fn(file);
    } finally {
        removeTempDir(dir);
    }
}

/** The cache directory shared by set-up, images and runs (outside the checkout). */
export function cacheDir(): string {
    return process.env.VTB_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "virt-testbed");
}
