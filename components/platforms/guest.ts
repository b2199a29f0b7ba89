import * as pulumi from "@pulumi/pulumi";
import { opsProvider } from "../lib/resourceKind";
import { GuestLimits } from "../config";

export interface GuestArgs {
    platform: string;
    name: string;
    /** Ownership mark: which checkout and stack made the guest. */
    owner: string;
    /** Set false by a refresh that found the guest stopped; the next up then replaces it. */
    running: boolean;
    role: string;
    vcpus: number;
    memoryMiB: number;
    limits: GuestLimits;
    cidr: string;
    bridge: pulumi.Input<string>;
    rootfs: pulumi.Input<string>;
    authorizedKey: pulumi.Input<string>;
    options: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** The Xen host (dom0) that runs the guest, for the xen platform. */
    hostAddress?: pulumi.Input<string>;
    hostPrivateKey?: pulumi.Input<string>;
}

/** One guest (container or VM) created, read and deleted through its platform's driver. */
export class Guest extends pulumi.dynamic.Resource {
    declare readonly address: pulumi.Output<string>;
    declare readonly emulated: pulumi.Output<boolean>;
    declare readonly provisionSeconds: pulumi.Output<number>;
    declare readonly bootToReadySeconds: pulumi.Output<number>;
    declare readonly details: pulumi.Output<Record<string, string | number | boolean>>;
    /** A fresh id per created instance: what runs on the guest depends on it, so a recreated guest is set up again. */
    declare readonly instance: pulumi.Output<string>;

    constructor(name: string, args: GuestArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            opsProvider("guest", { replaceOn: "*" }),
            name,
            { ...args, address: undefined, emulated: undefined, provisionSeconds: undefined, bootToReadySeconds: undefined, details: undefined, instance: undefined },
            { ...opts, additionalSecretOutputs: ["hostPrivateKey"] },
            "virt-testbed",
            "Guest",
        );
    }
}
