// The committed stack files work on a fresh checkout: they carry settings only (no salt bound to
// one machine's passphrase), and each one creates and previews through the path `make up` uses
// (scripts/stack.ts) with a new backend and a new passphrase, as a new user's clone would.
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { openStack } from "../../scripts/stack";

const ROOT = path.resolve(__dirname, "..", "..");
const STACKS = ["lxc", "kvm", "xen", "native"];

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

/** The plain CLI as a user types it (after set-up and `. scripts/env.sh`): exit code and everything it printed. */
function pulumi(args: string[]): { status: number | null; output: string } {
    const r = spawnSync("pulumi", [...args, "--non-interactive"], { cwd: ROOT, encoding: "utf8", timeout: 5 * 60_000 });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("the plain Pulumi CLI on this checkout", function () {
    this.timeout(10 * 60_000);

    for (const name of STACKS) {
        it(`pulumi preview --stack ${name} works as typed, with Pulumi's normal output and no plugin warning`, () => {
            const r = pulumi(["preview", "--stack", name]);
            expect(r.status, r.output).to.equal(0);
            expect(r.output).to.match(new RegExp(`virt-testbed-${name}`));
            expect(r.output).not.to.match(/from \$PATH|warning:/);
        });
    }

    it("prints a configuration error once, naming the setting and the fix", () => {
        const name = `badcli${randomBytes(2).toString("hex")}`;
        try {
            expect(pulumi(["stack", "init", name]).status).to.equal(0);
            pulumi(["config", "set", "--stack", name, "virt-testbed:platform", "lxc"]);
            pulumi(["config", "set", "--stack", name, "--path", "virt-testbed:network.subnet", "010.231.1.0/24"]);
            const r = pulumi(["preview", "--stack", name]);
            expect(r.status).to.not.equal(0);
            const said = r.output.split("\n").filter((l) => l.includes("virt-testbed:network.subnet: has an octet with a leading zero"));
            expect(said, r.output).to.have.length(2); // once as it happens, once in Pulumi's closing Diagnostics
            expect(r.output.match(/Diagnostics:/g)).to.have.length(1);
        } finally {
            pulumi(["stack", "rm", name, "--yes", "--force"]);
            fs.rmSync(path.join(ROOT, `Pulumi.${name}.yaml`), { force: true });
        }
    });
});
