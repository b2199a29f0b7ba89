// Every committed stack file goes up as typed: its own settings pass the validation and the
// preflight a real up runs on this host (network, platform rules, guest memory, capacity), before
// any e2e test with hand-picked short settings runs.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as path from "path";
import { stackFileConfig } from "../../components/hostFacts";
import { preflight } from "../../components/hostPreflight";
import { ownerMark } from "../../components/lib/ownership";
import { checkoutId } from "../../components/checkout";

const ROOT = path.resolve(__dirname, "..", "..");

/** The stack files git tracks (temporary test stacks leave theirs untracked). */
function committedStackFiles(): { stack: string; file: string }[] {
    return execFileSync("git", ["ls-files", "Pulumi.*.yaml"], { cwd: ROOT, encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .map((file) => ({ stack: /^Pulumi\.(.+)\.yaml$/.exec(file)![1], file: path.join(ROOT, file) }));
}

describe("committed stack files pass an up's preflight here", function () {
    this.timeout(60_000);
    const files = committedStackFiles();

    it("covers every platform's committed stack", () => {
        expect(files.map((f) => f.stack)).to.include.members(["lxc", "kvm", "xen", "native"]);
    });

    for (const { stack, file } of files) {
        it(`${stack}: validated settings, network, capacity and platform rules`, () => {
            // Called as the program calls it: a refusal fails the test with its whole message (the setting and the fix).
            preflight(stackFileConfig(file), stack, ownerMark({ checkout: checkoutId(), stack }), ROOT);
        });
    }

    it("the emulated stacks (kvm, xen) judge saturation by one bound, so compare ranks them against each other", () => {
        const bound = (stack: string) => stackFileConfig(path.join(ROOT, `Pulumi.${stack}.yaml`)).benchmark.saturation.p99BoundMs;
        expect(bound("kvm")).to.equal(bound("xen"));
        expect(bound("lxc")).to.equal(bound("native"));
    });
});
