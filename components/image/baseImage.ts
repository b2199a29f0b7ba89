import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { opsProvider } from "../lib/resourceKind";

export const BUILD_SCRIPT = path.join(__dirname, "build-rootfs.sh");
const RECIPE_FILES = ["guest-init.sh", "vm-init.sh"].map((f) => path.join(__dirname, f));

/**
 * Hash of the image recipe: the build script (suite, packages, Node version; comments do not
 * count) and the init scripts it installs.
 */
export function recipeHash(): string {
    const recipe = fs.readFileSync(BUILD_SCRIPT, "utf8").split("\n").filter((l) => !/^\s*#/.test(l)).join("\n");
    const h = createHash("sha256").update(recipe);
    for (const f of RECIPE_FILES) h.update(fs.readFileSync(f));
    return h.digest("hex").slice(0, 16);
}

/** The debootstrap'd Debian base every guest clones copy-on-write; cached by recipe hash. */
export class BaseImage extends pulumi.dynamic.Resource {
    declare readonly rootfs: pulumi.Output<string>;
    declare readonly recipeHash: pulumi.Output<string>;
    declare readonly sizeBytes: pulumi.Output<number>;
    declare readonly buildSeconds: pulumi.Output<number>;
    declare readonly cached: pulumi.Output<boolean>;

    /** `owner`: the stack's ownership mark, registered as a user of the cached image. */
    constructor(name: string, args: { owner: string }, opts?: pulumi.CustomResourceOptions) {
        super(
            opsProvider("image", { replaceOn: "*" }),
            name,
            { recipeHash: recipeHash(), owner: args.owner, rootfs: undefined, sizeBytes: undefined, buildSeconds: undefined, cached: undefined },
            opts,
            "virt-testbed",
            "BaseImage",
        );
    }
}
