import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** The compiled workloads and their runtime modules, built by scripts/build-guest-bundle.sh. */
export const GUEST_BUNDLE = path.resolve(__dirname, "..", "build", "guest");

/** Content hash of the bundle's code (not node_modules), so changed code re-provisions guests. */
export function bundleHash(dir = GUEST_BUNDLE): string {
    const code = path.join(dir, "workloads");
    if (!fs.existsSync(code)) {
        throw new Error(`guest bundle missing at ${dir}: run scripts/build-guest-bundle.sh (make setup does)`);
    }
    const h = createHash("sha256");
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else if (!e.name.endsWith(".map")) h.update(path.relative(dir, p)).update(fs.readFileSync(p));
        }
    };
    walk(code);
    return h.digest("hex").slice(0, 16);
}
