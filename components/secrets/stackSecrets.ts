import * as pulumi from "@pulumi/pulumi";
import { opsProvider } from "../lib/resourceKind";

/** Per-stack credentials (broker and database passwords, SSH key pair), all Pulumi secrets. */
export class StackSecrets extends pulumi.dynamic.Resource {
    declare readonly brokerPassword: pulumi.Output<string>;
    declare readonly databasePassword: pulumi.Output<string>;
    declare readonly sshPrivateKey: pulumi.Output<string>;
    declare readonly sshPublicKey: pulumi.Output<string>;

    constructor(name: string, args: { stack: string }, opts?: pulumi.CustomResourceOptions) {
        super(
            opsProvider("secrets", { replaceOn: "*" }),
            name,
            { ...args, brokerPassword: undefined, databasePassword: undefined, sshPrivateKey: undefined, sshPublicKey: undefined },
            { ...opts, additionalSecretOutputs: ["brokerPassword", "databasePassword", "sshPrivateKey"] },
            "virt-testbed",
            "StackSecrets",
        );
    }
}
