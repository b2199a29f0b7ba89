import { declareKind, resourceClass } from "../lib/resourceKind";

export interface SecretsInputs {
    stack: string;
}
export interface SecretsOutputs {
    brokerPassword: string;
    databasePassword: string;
    sshPrivateKey: string;
    sshPublicKey: string;
}

export const stackSecretsKind = declareKind<SecretsInputs, SecretsOutputs>()({
    name: "secrets",
    type: "StackSecrets",
    outputs: { brokerPassword: true, databasePassword: true, sshPrivateKey: true, sshPublicKey: true },
    replaceOn: "*",
    secrets: ["brokerPassword", "databasePassword", "sshPrivateKey"],
});

/** Per-stack credentials (broker and database passwords, SSH key pair), all Pulumi secrets. */
export class StackSecrets extends resourceClass(stackSecretsKind) {}
