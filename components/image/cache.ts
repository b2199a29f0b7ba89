// Which stacks use a cached base image, and pruning of the ones none uses. Each image directory
// ($VTB_CACHE/images/<hash>, 0.8–1.3 GB) keeps a `users/` entry per stack that holds it; an image
// without users that no guest still points at (the platforms answer that) is superseded and
// removed, with what the platforms derived from it, when another image is made or a stack lets go.
import * as fs from "fs";
import * as path from "path";

/** The platforms' side of the cache: whether their guests use an image, and what they derived from one. */
export interface ImageUsers {
    usesImage(imageDir: string): Promise<boolean>;
    forgetImage(imageHash: string): void;
}

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
    return fs.existsSync(dir)
        ? fs
              .readdirSync(dir)
              .filter((n) => !n.startsWith("."))
              .map((n) => path.join(dir, n))
        : [];
}

/** Whether a stack or a guest of any platform still uses the image. */
async function inUse(imageDir: string, guests: ImageUsers): Promise<boolean> {
    return listDirs(path.join(imageDir, "users")).length > 0 || (await guests.usesImage(imageDir));
}

/** Removes every cached image except `keep` that nothing uses; returns the hashes removed. */
export async function pruneUnused(cacheImages: string, keep: string, guests: ImageUsers): Promise<string[]> {
    const removed: string[] = [];
    for (const dir of listDirs(cacheImages)) {
        if (path.resolve(dir) === path.resolve(keep) || !fs.existsSync(path.join(dir, "rootfs", "etc", "virt-testbed-image"))) continue;
        if (await inUse(dir, guests)) continue;
        fs.rmSync(dir, { recursive: true, force: true });
        guests.forgetImage(path.basename(dir));
        removed.push(path.basename(dir));
    }
    return removed;
}
