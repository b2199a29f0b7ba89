import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { opsProvider } from "./provider";

export const BUILD_SCRIPT = path.join(__dirname, "image", "build-rootfs.sh");

/** Hash of the image recipe: the build script pins the suite, packages and Node version. */
export function recipeHash(): string {
    return createHash("sha256").update(fs.readFileSync(BUILD_SCRIPT)).digest("hex").slice(0, 16);
}

/** The debootstrap'd Debian base every guest clones copy-on-write; cached by recipe hash. */
export class BaseImage extends pulumi.dynamic.Resource {
    declare readonly rootfs: pulumi.Output<string>;
    declare readonly recipeHash: pulumi.Output<string>;
    declare readonly sizeBytes: pulumi.Output<number>;
    declare readonly buildSeconds: pulumi.Output<number>;

    constructor(name: string, opts?: pulumi.CustomResourceOptions) {
        super(
            opsProvider("image", { replaceOn: "*" }),
            name,
            { recipeHash: recipeHash(), rootfs: undefined, sizeBytes: undefined, buildSeconds: undefined },
            opts,
            "virt-testbed",
            "BaseImage",
        );
    }
}
