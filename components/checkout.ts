import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** This checkout's state directory (backend, passphrase, checkout id); scripts/env.sh sets VTB_STATE. */
export function stateDir(): string {
    return process.env.VTB_STATE || path.resolve(__dirname, "..", ".state");
}

/**
 * A random id for this checkout, made once and kept beside its state: ownership marks name it,
 * so two checkouts with the same stack names never take each other's objects for their own.
 */
export function checkoutId(): string {
    const file = path.join(stateDir(), "checkout-id");
    if (fs.existsSync(file)) {
        const id = fs.readFileSync(file, "utf8").trim();
        if (/^[0-9a-f]{8,32}$/.test(id)) return id;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const id = randomBytes(4).toString("hex");
    fs.writeFileSync(file, `${id}\n`);
    return id;
}
