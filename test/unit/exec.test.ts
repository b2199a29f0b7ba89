import { expect } from "chai";
import * as path from "path";
import { interrupted, run, tryRun } from "../../components/lib/exec";

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

    it("on an interrupt ends every running command with what it started, and removes private temporary directories", async function () {
        this.timeout(60_000);
        // In a process of its own: the interrupt flag it raises would stop every later wait of this one.
        const out = await run(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "helpers", "interruptScenario.ts")], {
            timeoutMs: 60_000,
        });
        const seen = JSON.parse(out) as { error: string; state: string; dirLeft: boolean; interrupted: boolean };
        expect(seen.error).to.match(/SIGTERM|SIGKILL/);
        expect(seen.state).to.be.oneOf(["gone", "Z"]);
        expect(seen.dirLeft).to.equal(false);
        expect(seen.interrupted).to.equal(true);
        expect(interrupted(), "this process's flag").to.equal(false);
    });
});
