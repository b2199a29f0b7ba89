// The testbed never changes or deletes what it did not create: an interface with the stack's
// bridge name and a container with one of its guests' names are refused, left as they were, and
// survive the stack's destroy.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { removeStack, sh, tempStack, TempStack } from "./stackRun";

const LXC_PATH = "/var/lib/lxc";

async function upError(t: TempStack): Promise<string> {
    try {
        await t.stack.up({ color: "never" });
    } catch (e) {
        return String(e);
    }
    throw new Error("the up was expected to fail");
}

const linkFacts = (name: string) => sh(`ip -d -j link show dev ${name}`);

describe("objects the testbed did not create", function () {
    this.timeout(20 * 60_000);

    describe("an interface with the stack's bridge name", () => {
        let t: TempStack | undefined;
        let original = "";

        before(async () => {
            t = await tempStack("own", "10.231.248.0/24", { platform: "lxc" });
            sh(`ip link add ${t.bridge} type bridge`); // as another tool would make it: no mark of ours
            original = linkFacts(t.bridge);
        });

        after(async () => {
            await removeStack(t);
            if (t) sh(`ip link del ${t.bridge} 2>/dev/null || true`);
        });

        it("is refused before anything is provisioned, naming the setting and the interface", async () => {
            const message = await upError(t!);
            expect(message).to.match(
                new RegExp(`virt-testbed:network\\.bridge: an interface named ${t!.bridge} already exists and it was not made by virt-testbed`),
            );
            const resources = ((await t!.stack.exportStack()).deployment.resources ?? []) as Array<{ type: string }>;
            expect(resources.filter((r) => r.type.startsWith("virt-testbed:"))).to.deep.equal([]);
        });

        it("is untouched by the failed up and by the destroy", async () => {
            await t!.stack.destroy({ color: "never" });
            expect(linkFacts(t!.bridge)).to.equal(original);
        });
    });

    describe("a container with one of the stack's guest names", () => {
        let t: TempStack | undefined;
        let foreign = "";
        const config = "# made by someone else\nlxc.uts.name = foreign\n";

        before(async () => {
            t = await tempStack("own", "10.231.249.0/24", { platform: "lxc", "topology.compact": "true" });
            foreign = path.join(LXC_PATH, `vtb-${t.name}-core`);
            fs.mkdirSync(foreign, { recursive: true });
            fs.writeFileSync(path.join(foreign, "config"), config);
        });

        after(async () => {
            await removeStack(t);
            if (foreign) fs.rmSync(foreign, { recursive: true, force: true });
        });

        it("fails the up with the container's name and owner, and keeps it as it was", async () => {
            const message = await upError(t!);
            expect(message).to.match(new RegExp(`container vtb-${t!.name}-core already exists and it was not made by virt-testbed`));
            expect(fs.readFileSync(path.join(foreign, "config"), "utf8")).to.equal(config);
            expect(fs.readdirSync(foreign)).to.deep.equal(["config"]);
        });

        it("survives the destroy, which removes only what the stack made", async () => {
            await t!.stack.destroy({ color: "never" });
            expect(fs.readFileSync(path.join(foreign, "config"), "utf8")).to.equal(config);
            expect(sh(`ip -br link show dev ${t!.bridge} 2>/dev/null || true`).trim()).to.equal("");
            expect(fs.existsSync(path.join(LXC_PATH, `vtb-${t!.name}-apps`))).to.equal(false);
        });
    });
});
