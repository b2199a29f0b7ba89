import { randomBytes } from "crypto";
import type { ImplementationOf } from "../lib/resourceKind";
import type { stackSecretsKind } from "./stackSecrets";
import { ed25519KeyPair } from "../lib/ssh";

/** Letters and digits only, so the value is safe inside URLs, SQL literals and shell words. */
export function password(length = 24): string {
    const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    const bytes = randomBytes(length);
    return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/** Per-stack credentials, generated once at create and kept (encrypted) in the stack's state. */
export const secretsOps: ImplementationOf<typeof stackSecretsKind> = {
    async create(inputs) {
        const key = await ed25519KeyPair(`virt-testbed-${inputs.stack}`);
        return {
            id: `secrets-${inputs.stack}`,
            outs: {
                brokerPassword: password(),
                databasePassword: password(),
                sshPrivateKey: key.privateKey,
                sshPublicKey: key.publicKey,
            },
        };
    },
    async delete() {
        // Nothing outside the state holds them.
    },
};
