import { expect } from "chai";
import * as fs from "fs";
import { privateTempDir, run, stopEverything, tryRun } from "../../components/lib/exec";

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

    it("on an interrupt ends every running command with what it started, and removes private temporary directories", async () => {
        const dir = privateTempDir("vtb-test-");
        fs.writeFileSync(`${dir}/key`, "secret");
        const pidFile = `${dir}/grandchild`;
        const pending = run("sh", ["-c", `sleep 60 & echo $! > ${pidFile}; wait`], { timeoutMs: 60_000 }).catch((e: Error) => e);
        while (!fs.existsSync(pidFile) || !fs.readFileSync(pidFile, "utf8").trim()) await new Promise((r) => setTimeout(r, 20));
        const grandchild = Number(fs.readFileSync(pidFile, "utf8"));
        await stopEverything();
        expect(String(await pending)).to.match(/SIGTERM|SIGKILL/);
        // Gone, or a zombie waiting for its new parent to reap it: no longer running either way.
        const state = fs.existsSync(`/proc/${grandchild}/stat`) ? fs.readFileSync(`/proc/${grandchild}/stat`, "utf8").split(") ")[1][0] : "gone";
        expect(state).to.be.oneOf(["gone", "Z"]);
        expect(fs.existsSync(dir)).to.equal(false);
    });
});
