// Unprivileged containers: root in the container is a subordinate uid on the host (a user
// namespace with one id range for all of the testbed's containers). The overlay's lower layer must
// be owned by that range, or the container would see its files as nobody's: the base image's
// rootfs is copied once, beside it in the image's cache directory, with every owner shifted.
import * as fs from "fs";
import * as path from "path";
import { run } from "../../lib/exec";

/** The first host uid and gid of the containers' range, and its size (uids 0–65535 inside). */
export const ID_BASE = 1_000_000;
export const ID_COUNT = 65536;

/**
 * Entries of /etc/subuid or /etc/subgid ("name:first:count") whose range overlaps the containers':
 * another user's containers would share host ids with ours.
 */
export function idRangeConflicts(text: string, file: string): string[] {
    return text
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("#"))
        .filter((l) => {
            const [, first, count] = l.split(":").map(Number);
            return first < ID_BASE + ID_COUNT && ID_BASE < first + count;
        })
        .map((l) => `${file}: ${l}`);
}

/** The base rootfs with owners shifted by ID_BASE, next to it (pruned with the image). */
export const shiftedRootfsOf = (rootfs: string) => `${rootfs}-idmap-${ID_BASE}`;

/** Shifts the owner of every file under dir by `by`, keeping modes (a chown clears set-id bits). */
export function shiftOwners(dir: string, by: number): void {
    const shift = (p: string) => {
        const st = fs.lstatSync(p);
        if (st.uid >= ID_COUNT || st.gid >= ID_COUNT)
            throw new Error(`${p} is owned by ${st.uid}:${st.gid}, outside the containers' id range 0–${ID_COUNT - 1}`);
        fs.lchownSync(p, st.uid + by, st.gid + by);
        if (!st.isSymbolicLink()) fs.chmodSync(p, st.mode & 0o7777);
        if (st.isDirectory()) for (const e of fs.readdirSync(p)) shift(path.join(p, e));
    };
    shift(dir);
}

/** The shifted copy of a base rootfs, made once: built aside and renamed, so concurrent creates never see half of one. */
export async function shiftedRootfs(rootfs: string): Promise<string> {
    const target = shiftedRootfsOf(rootfs);
    if (fs.existsSync(target)) return target;
    const tmp = `${target}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    try {
        await run("cp", ["-a", "--one-file-system", rootfs, tmp], { timeoutMs: 15 * 60_000 });
        shiftOwners(tmp, ID_BASE);
        fs.renameSync(tmp, target);
    } catch (e) {
        fs.rmSync(tmp, { recursive: true, force: true });
        // Another create finished it first.
        if (!fs.existsSync(target)) throw e;
    }
    return target;
}
