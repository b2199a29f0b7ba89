import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { ImplementationOf } from "../lib/resourceKind";
import type { stackSecretsKind } from "./stackSecrets";
import { privateTempDir, removeTempDir, run } from "../lib/exec";

/** Letters and digits only, so the value is safe inside URLs, SQL literals and shell words. */
export function password(length = 24): string {
    const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    const bytes = randomBytes(length);
    return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

async function sshKeyPair(comment: string): Promise<{ privateKey: string; publicKey: string }> {
    const dir = privateTempDir("vtb-key-");
    try {
        await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path.join(dir, "id")]);
        return {
            privateKey: fs.readFileSync(path.join(dir, "id"), "utf8"),
            publicKey: fs.readFileSync(path.join(dir, "id.pub"), "utf8").trim(),
        };
    } finally {
        removeTempDir(dir);
    }
}

/** Per-stack credentials, generated once at create and kept (encrypted) in the stack's state. */
export const secretsOps: ImplementationOf<typeof stackSecretsKind> = {
    async create(inputs) {
        const key = await sshKeyPair(`virt-testbed-${inputs.stack}`);
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
