import * as fs from "fs";
import * as path from "path";
import { Ops } from "./types";
import { run } from "./exec";

export interface ImageInputs {
    /** Hash of the build script and its inputs, so a change rebuilds (and replaces guests). */
    recipeHash: string;
}
export interface ImageOutputs {
    rootfs: string;
    sizeBytes: number;
    buildSeconds: number;
    /** True when the cache already held this recipe's image (buildSeconds is then the look-up). */
    cached: boolean;
}

const BUILD_SCRIPT = path.join(__dirname, "..", "image", "build-rootfs.sh");

async function duBytes(dir: string): Promise<number> {
    const out = await run("du", ["-sb", dir]);
    return Number(out.split(/\s+/)[0]);
}

/**
 * The shared base root filesystem. It is a cache, not owned by one stack: delete leaves it for
 * the next up (of any stack), and guests only ever see it as a read-only overlay lower layer.
 */
export const imageOps: Ops<ImageInputs, ImageOutputs> = {
    async create() {
        const expected = (await run("bash", [BUILD_SCRIPT, "--path-only"])).trim();
        const cached = fs.existsSync(path.join(expected, "etc", "virt-testbed-image"));
        const start = Date.now();
        const rootfs = (await run("bash", [BUILD_SCRIPT], { timeoutMs: 1_800_000 })).trim().split("\n").pop() as string;
        const buildSeconds = (Date.now() - start) / 1000;
        return { id: rootfs, outs: { rootfs, sizeBytes: await duBytes(rootfs), buildSeconds, cached } };
    },
    async read(id, props) {
        // A pruned cache is drift: the next up rebuilds it.
        return fs.existsSync(path.join(id, "etc", "virt-testbed-image")) ? props : undefined;
    },
    async delete() {
        // Kept on purpose: the cache is shared by all stacks and keyed by its inputs.
    },
};
