import * as fs from "fs";
import { sleep } from "../../lib/exec";

/** A QEMU process beside its guest's RAM: the 128 MiB translation cache, device model, buffers. */
export const QEMU_OVERHEAD_MIB = 256;

/** A QEMU started with `-name <name> -pidfile <pidFile>`, if it still runs: its PID, checked against /proc so a reused PID is never taken for it. */
export function qemuPidOf(pidFile: string, name: string): number | undefined {
    try {
        const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(name) ? pid : undefined;
    } catch {
        return undefined;
    }
}

/** Stops that QEMU by its PID: TERM, then KILL if it is still there after 10 s; returns once it is gone (or 10 s more passed). */
export async function stopQemu(pidFile: string, name: string): Promise<void> {
    const pid = qemuPidOf(pidFile, name);
    if (pid === undefined) return;
    const running = () => qemuPidOf(pidFile, name) !== undefined;
    process.kill(pid, "SIGTERM");
    for (let i = 0; i < 50 && running(); i++) await sleep(200);
    if (running()) process.kill(pid, "SIGKILL");
    for (let i = 0; i < 50 && running(); i++) await sleep(200);
}
