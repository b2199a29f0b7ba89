// The interrupt scenario of exec.test.ts, run in a child process of its own: stopEverything raises
// a process-wide flag that every later wait obeys, so the test runner's own process must never see it.
// Prints what the test checks, as JSON.
import * as fs from "fs";
import { interrupted, privateTempDir, run, stopEverything } from "../../../components/lib/exec";

(async () => {
    const dir = privateTempDir("vtb-test-");
    fs.writeFileSync(`${dir}/key`, "secret");
    const pidFile = `${dir}/grandchild`;
    const pending = run("sh", ["-c", `sleep 60 & echo $! > ${pidFile}; wait`], { timeoutMs: 60_000 }).catch((e: Error) => e);
    while (!fs.existsSync(pidFile) || !fs.readFileSync(pidFile, "utf8").trim()) await new Promise((r) => setTimeout(r, 20));
    const grandchild = Number(fs.readFileSync(pidFile, "utf8"));
    await stopEverything();
    const error = String(await pending);
    // Gone, or a zombie waiting for its new parent to reap it: no longer running either way.
    const state = fs.existsSync(`/proc/${grandchild}/stat`) ? fs.readFileSync(`/proc/${grandchild}/stat`, "utf8").split(") ")[1][0] : "gone";
    process.stdout.write(JSON.stringify({ error, state, dirLeft: fs.existsSync(dir), interrupted: interrupted() }));
})();
