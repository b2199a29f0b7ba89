// Which stacks use a cached base image, and pruning of the ones none uses. Each image directory
// ($VTB_CACHE/images/<hash>, 0.8–1.3 GB, plus its VM disk under /var/lib/virt-testbed/images/<hash>)
// keeps a `users/` entry per stack that holds it; an image without users that no container or VM
// disk still points at is superseded and removed when another image is made or a stack lets go.
import * as fs from "fs";
import * as path from "path";
import { tryRun } from "../lib/exec";

const VM_IMAGES = "/var/lib/virt-testbed/images";
const LXC_PATH = "/var/lib/lxc";
const VM_DIRS = ["/var/lib/virt-testbed/guests", "/var/lib/virt-testbed/xenhosts"];

/** The image directory of a rootfs path (<cache>/images/<hash>/rootfs). */
export const imageDirOf = (rootfs: string) => path.dirname(rootfs);

const userFile = (imageDir: string, owner: string) => path.join(imageDir, "users", owner.replace(/[^A-Za-z0-9_.-]/g, "_"));

export function addUser(rootfs: string, owner: string): void {
    const file = userFile(imageDirOf(rootfs), owner);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${owner}\n`);
}

export function removeUser(rootfs: string, owner: string): void {
    fs.rmSync(userFile(imageDirOf(rootfs), owner), { force: true });
}

function listDirs(dir: string): string[] {
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => !n.startsWith(".")).map((n) => path.join(dir, n)) : [];
}

/** Whether a stack, a container or a VM disk (its qcow2 backing chain) still uses the image. */
async function inUse(imageDir: string): Promise<boolean> {
    if (listDirs(path.join(imageDir, "users")).length > 0) return true;
    const hash = path.basename(imageDir);
    for (const c of listDirs(LXC_PATH)) {
        const config = path.join(c, "config");
        if (fs.existsSync(config) && fs.readFileSync(config, "utf8").includes(imageDir)) return true;
    }
    for (const vm of VM_DIRS.flatMap(listDirs)) {
        const disk = path.join(vm, "disk.qcow2");
        if (!fs.existsSync(disk)) continue;
        const info = await tryRun("qemu-img", ["info", "-U", "--output=json", disk], { timeoutMs: 30_000 });
        // Unreadable: count it as a user, never prune what might be in use.
        if (info === undefined || info.includes(`/images/${hash}/`)) return true;
    }
    return false;
}

/** Removes every cached image except `keep` that nothing uses; returns the hashes removed. */
export async function pruneUnused(cacheImages: string, keep: string): Promise<string[]> {
    const removed: string[] = [];
    for (const dir of listDirs(cacheImages)) {
        if (path.resolve(dir) === path.resolve(keep) || !fs.existsSync(path.join(dir, "rootfs", "etc", "virt-testbed-image"))) continue;
        if (await inUse(dir)) continue;
        fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(path.join(VM_IMAGES, path.basename(dir)), { recursive: true, force: true });
        removed.push(path.basename(dir));
    }
    return removed;
}
