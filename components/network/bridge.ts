import * as pulumi from "@pulumi/pulumi";
import { opsProvider } from "../lib/resourceKind";

/** The stack's own Linux bridge with the host's address on it. */
export class Bridge extends pulumi.dynamic.Resource {
    declare readonly name: pulumi.Output<string>;

    constructor(name: string, args: { name: string; hostCidr: string; owner: string }, opts?: pulumi.CustomResourceOptions) {
        super(opsProvider("bridge", { replaceOn: "*" }), name, args, opts, "virt-testbed", "Bridge");
    }
}
