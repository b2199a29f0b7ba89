import * as pulumi from "@pulumi/pulumi";
import { execFileSync } from "child_process";
import * as path from "path";
import { declareKind, resourceClass } from "../lib/resourceKind";

export const BUILD_SCRIPT = path.join(__dirname, "build-rootfs.sh");

export interface ImageInputs {
    /** The image's cache key (the hash of its recipe), so a changed recipe rebuilds (and replaces guests). */
    recipeHash: string;
    /** The stack that uses the image (its ownership mark): an image no stack uses is pruned. */
    owner: string;
}
export interface ImageOutputs {
    rootfs: string;
    sizeBytes: number;
    buildSeconds: number;
    /** True when the cache already held this recipe's image (buildSeconds is then the look-up). */
    cached: boolean;
}

export const baseImageKind = declareKind<ImageInputs, ImageOutputs>()({
    name: "image",
    type: "BaseImage",
    outputs: { rootfs: true, sizeBytes: true, buildSeconds: true, cached: true },
    replaceOn: "*",
});

/**
 * The image's cache key, from the build script itself (one hash, one language: the recipe without
 * comments, the init scripts it installs, the mirror). The outputs' imageHash is this key.
 */
export function recipeHash(): string {
    const rootfs = execFileSync("bash", [BUILD_SCRIPT, "--path-only"], { encoding: "utf8" }).trim();
    return path.basename(path.dirname(rootfs)); // <cache>/images/<key>/rootfs
}

/** The debootstrap'd Debian base every guest clones copy-on-write; cached by recipe hash. */
export class BaseImage extends resourceClass(baseImageKind) {
    /** `owner`: the stack's ownership mark, registered as a user of the cached image. */
    constructor(name: string, args: { owner: string }, opts?: pulumi.CustomResourceOptions) {
        super(name, { recipeHash: recipeHash(), owner: args.owner }, opts);
    }
}
