import * as fs from "fs";
import * as path from "path";
import type { ImplementationOf } from "../lib/resourceKind";
import type { baseImageKind } from "./baseImage";
import { run } from "../lib/exec";
import { addUser, imageDirOf, pruneUnused, removeUser } from "./cache";
import { imageUsers } from "../platforms/drivers";

const BUILD_SCRIPT = path.join(__dirname, "build-rootfs.sh");

async function duBytes(dir: string): Promise<number> {
    const out = await run("du", ["-sb", dir]);
    return Number(out.split(/\s+/)[0]);
}

/**
 * The shared base root filesystem. It is a cache, not owned by one stack: each stack registers as
 * a user; delete lets go, and leaves the image for the next up while it is the current recipe.
 * Superseded images no stack, container or VM disk uses are pruned. Guests only ever see the
 * image as a read-only lower layer.
 */
export const imageOps: ImplementationOf<typeof baseImageKind> = {
    async create({ owner }) {
        const expected = (await run("bash", [BUILD_SCRIPT, "--path-only"])).trim();
        const cached = fs.existsSync(path.join(expected, "etc", "virt-testbed-image"));
        const start = Date.now();
        const rootfs = (await run("bash", [BUILD_SCRIPT], { timeoutMs: 1_800_000 })).trim().split("\n").pop() as string;
        const buildSeconds = (Date.now() - start) / 1000;
        addUser(rootfs, owner);
        const pruned = await pruneUnused(path.dirname(imageDirOf(rootfs)), imageDirOf(rootfs), imageUsers);
        if (pruned.length) process.stderr.write(`pruned unused base images: ${pruned.join(", ")}\n`);
        return { id: rootfs, outs: { rootfs, sizeBytes: await duBytes(rootfs), buildSeconds, cached } };
    },
    async read(id, props) {
        // A pruned cache is drift: the next up rebuilds it.
        return fs.existsSync(path.join(id, "etc", "virt-testbed-image")) ? props : undefined;
    },
    async delete(id, props) {
        removeUser(id, props.owner);
        // The current recipe's image stays for the next up; superseded ones nobody uses go.
        const current = (await run("bash", [BUILD_SCRIPT, "--path-only"])).trim();
        await pruneUnused(path.dirname(imageDirOf(id)), imageDirOf(current), imageUsers);
    },
};
