// Unprivileged containers: root in the container is a subordinate uid on the host (a user
// namespace with one id range for all of the testbed's containers). The overlay's lower layer must
// be owned by that range, or the container would see its files as nobody's: the base image's
// rootfs is copied once, with every owner shifted, among what is derived from the image.
import * as fs from "fs";
import * as path from "path";
import { run, sleep } from "../../lib/exec";
import { DERIVED_IMAGES, derivedDir, imageHashOf } from "../common/derivedImages";

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

/** The base rootfs with owners shifted by ID_BASE (pruned with the image). */
export const shiftedRootfsFor = (imageHash: string, root = DERIVED_IMAGES) => path.join(derivedDir(imageHash, root), `rootfs-idmap-${ID_BASE}`);

/** Shifts the owner of every file under dir by `by`, keeping modes (a chown clears set-id bits); a hard-linked file once. */
export function shiftOwners(dir: string, by: number): void {
    const seen = new Set<string>();
    const shift = (p: string) => {
        const st = fs.lstatSync(p);
        if (st.nlink > 1 && !st.isDirectory()) {
            const inode = `${st.dev}:${st.ino}`;
            if (seen.has(inode)) return;
            seen.add(inode);
        }
        if (st.uid >= ID_COUNT || st.gid >= ID_COUNT)
            throw new Error(`${p} is owned by ${st.uid}:${st.gid}, outside the containers' id range 0–${ID_COUNT - 1}`);
        fs.lchownSync(p, st.uid + by, st.gid + by);
        if (!st.isSymbolicLink()) fs.chmodSync(p, st.mode & 0o7777);
        if (st.isDirectory()) for (const e of fs.readdirSync(p)) shift(path.join(p, e));
    };
    shift(dir);
}

const alive = (pid: number) => {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
};

/** Holds a lock directory (with its holder's PID) while fn runs; a lock whose holder died is taken over. */
async function withLock<T>(lock: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            fs.mkdirSync(lock);
            break;
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
            const holder = Number(fs.existsSync(`${lock}/pid`) ? fs.readFileSync(`${lock}/pid`, "utf8") : 0);
            if (holder > 0 && !alive(holder)) fs.rmSync(lock, { recursive: true, force: true });
            else if (Date.now() > deadline) throw new Error(`${lock} is still held by PID ${holder || "unknown"} after ${timeoutMs / 1000} s`);
            else await sleep(1000);
        }
    }
    try {
        fs.writeFileSync(`${lock}/pid`, String(process.pid));
        return await fn();
    } finally {
        fs.rmSync(lock, { recursive: true, force: true });
    }
}

/**
 * The shifted copy of a base rootfs, made once: the guests created together wait for the one
 * that builds it, which builds aside and renames, so no one ever sees half of one.
 */
export async function shiftedRootfs(rootfs: string, root = DERIVED_IMAGES): Promise<string> {
    const target = shiftedRootfsFor(imageHashOf(rootfs), root);
    if (fs.existsSync(target)) return target;
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    return withLock(`${target}.lock`, 20 * 60_000, async () => {
        if (fs.existsSync(target)) return target;
        const tmp = `${target}.tmp`;
        fs.rmSync(tmp, { recursive: true, force: true });
        try {
            await run("cp", ["-a", "--one-file-system", rootfs, tmp], { timeoutMs: 15 * 60_000 });
            shiftOwners(tmp, ID_BASE);
            fs.renameSync(tmp, target);
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
        return target;
    });
}
