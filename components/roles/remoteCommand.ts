import * as pulumi from "@pulumi/pulumi";
import { opsProvider } from "../lib/resourceKind";

export interface RemoteCommandArgs {
    address: pulumi.Input<string>;
    privateKey: pulumi.Input<string>;
    create: pulumi.Input<string>;
    delete?: pulumi.Input<string>;
    upload?: string;
    uploadTo?: string;
    uploadHash?: string;
    timeoutSeconds?: pulumi.Input<number>;
    /** The guest's instance id: a recreated guest runs the script again. */
    guestInstance?: pulumi.Input<string>;
}

/** A provisioning script run in a guest over SSH; any change of its inputs runs it again. */
export class RemoteCommand extends pulumi.dynamic.Resource {
    constructor(name: string, args: RemoteCommandArgs, opts?: pulumi.CustomResourceOptions) {
        super(opsProvider("remote", { replaceOn: "*" }), name, args, { ...opts, additionalSecretOutputs: ["privateKey", "create"] }, "virt-testbed", "RemoteCommand");
    }
}
