import * as pulumi from "@pulumi/pulumi";
import { opsProvider } from "../../lib/resourceKind";

export interface NestedXenHostArgs {
    name: string;
    owner: string;
    cidr: string;
    bridge: pulumi.Input<string>;
    rootfs: pulumi.Input<string>;
    authorizedKey: pulumi.Input<string>;
    privateKey: pulumi.Input<string>;
    dom0MemoryMiB: number;
    guestMemoryMiB: number;
    vcpus: number;
}

/** A Xen host (Xen + dom0 under QEMU) the xen stack boots for itself; see platforms/nestedXen.ts. */
export class NestedXenHost extends pulumi.dynamic.Resource {
    declare readonly address: pulumi.Output<string>;
    declare readonly privateKey: pulumi.Output<string>;
    declare readonly emulated: pulumi.Output<boolean>;
    declare readonly accel: pulumi.Output<string>;
    declare readonly memoryMiB: pulumi.Output<number>;
    declare readonly xenVersion: pulumi.Output<string>;
    declare readonly xenScheduler: pulumi.Output<string>;
    declare readonly virtCaps: pulumi.Output<string>;
    declare readonly bootToReadySeconds: pulumi.Output<number>;

    constructor(name: string, args: NestedXenHostArgs, opts?: pulumi.CustomResourceOptions) {
        const outs = { address: undefined, emulated: undefined, accel: undefined, memoryMiB: undefined, xenVersion: undefined, xenScheduler: undefined, virtCaps: undefined, totalMemoryMiB: undefined, bootToReadySeconds: undefined, qemuPid: undefined };
        super(opsProvider("xenhost", { replaceOn: "*" }), name, { ...args, ...outs }, { ...opts, additionalSecretOutputs: ["privateKey"] }, "virt-testbed", "NestedXenHost");
    }
}
