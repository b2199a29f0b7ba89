// The committed stack files work on a fresh checkout: they carry settings only (no salt bound to
// one machine's passphrase), and each one creates and previews through the path `make up` uses
// (scripts/stack.ts) with a new backend and a new passphrase, as a new user's clone would.
import { expect } from "chai";
import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { openStack } from "../../scripts/stack";

const ROOT = path.resolve(__dirname, "..", "..");
const STACKS = ["lxc", "kvm", "xen"];

/** The file as committed (HEAD), else as in the working tree outside git. */
function committed(file: string): string {
    try {
        return execFileSync("git", ["show", `HEAD:${file}`], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    } catch {
        return fs.readFileSync(path.join(ROOT, file), "utf8");
    }
}

describe("committed stack files on a fresh checkout", function () {
    this.timeout(10 * 60_000);
    let dir = "";

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-fresh-"));
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.mkdirSync(path.join(dir, "backend"));
        fs.writeFileSync(path.join(dir, "passphrase"), randomBytes(32).toString("base64"), { mode: 0o600 });
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const name of STACKS) {
        it(`${name}: settings only, no secret material bound to one machine`, () => {
            const text = committed(`Pulumi.${name}.yaml`);
            expect(text).to.match(/virt-testbed:platform:/);
            expect(text).not.to.match(/^(encryptionsalt|encryptedkey|secretsprovider):/m);
            expect(text).not.to.match(/secure:/);
        });

        it(`${name}: a new backend and passphrase create the stack and preview it`, async () => {
            fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), committed(`Pulumi.${name}.yaml`));
            const stack = await openStack(name, {
                workDir: dir,
                envVars: { PULUMI_BACKEND_URL: `file://${dir}/backend`, PULUMI_CONFIG_PASSPHRASE_FILE: `${dir}/passphrase` },
            });
            const res = await stack.preview({ color: "never" });
            expect(res.changeSummary.create, JSON.stringify(res.changeSummary)).to.be.greaterThan(5);
            // Pulumi keeps the new salt in the local copy of the stack file, never in the committed one.
            expect(fs.readFileSync(path.join(dir, `Pulumi.${name}.yaml`), "utf8")).to.match(/^encryptionsalt: v1:/m);
        });
    }
});
