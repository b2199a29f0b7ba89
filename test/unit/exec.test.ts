import { expect } from "chai";
import { run, tryRun } from "../../components/ops/exec";

describe("command runner", () => {
    it("returns stdout and feeds stdin", async () => {
        expect(await run("sh", ["-c", "cat; echo done"], { input: "in\n" })).to.equal("in\ndone\n");
    });
    it("rejects with the command's stderr", async () => {
        const err = await run("sh", ["-c", "echo broken >&2; exit 3"]).catch((e: Error) => e);
        expect(String(err)).to.match(/exit 3.*broken/s);
        expect(await tryRun("sh", ["-c", "exit 1"])).to.equal(undefined);
    });
    it("ends a timed-out command even when a grandchild holds its output open", async () => {
        // A daemon that inherits our pipe must not make us wait for ever (the libvirtd lock bug).
        const err = await run("sh", ["-c", "(sleep 60 &); sleep 60"], { timeoutMs: 300 }).catch((e: Error) => e);
        expect(String(err)).to.match(/timed out after 0.3 s/);
    });
});
