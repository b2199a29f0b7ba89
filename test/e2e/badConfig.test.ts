// Bad input through the real engine: the program rejects it before any resource is registered.
import { expect } from "chai";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { openStack } from "../../scripts/stack";

const ROOT = path.resolve(__dirname, "..", "..");

describe("invalid stack configuration end to end", function () {
    this.timeout(5 * 60_000);
    const name = `bad${randomBytes(2).toString("hex")}`;

    after(async () => {
        const stack = await openStack(name);
        await stack.workspace.removeStack(name, { force: true }).catch(() => undefined);
        fs.rmSync(path.join(ROOT, `Pulumi.${name}.yaml`), { force: true });
    });

    it("fails the up with the setting's name and provisions nothing", async () => {
        const stack = await openStack(name);
        await stack.setAllConfig(
            {
                "virt-testbed:platform": { value: "lxc" },
                "virt-testbed:topology.broker.vcpus": { value: "0" },
            },
            true,
        );
        let message = "";
        try {
            await stack.up({ color: "never" });
        } catch (e) {
            message = String(e);
        }
        expect(message).to.match(/virt-testbed:topology\.broker\.vcpus: must be an integer from 1 to 64, got 0/);
        const state = await stack.exportStack();
        const resources = (state.deployment.resources ?? []) as Array<{ type: string }>;
        expect(resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && r.type !== "pulumi:providers:pulumi-nodejs")).to.deep.equal([]);
    });
});
