import { spawn } from "child_process";
import { Target } from "../benchmark";
import { sshScript, SshTarget } from "../../components/ops/ssh";

/** The bare host, the baseline every guest figure is compared with. */
export const hostTarget: Target = {
    name: "host",
    exec(script, timeoutSeconds = 600) {
        return new Promise((resolve, reject) => {
            const child = spawn("sh", ["-es"], { stdio: ["pipe", "pipe", "pipe"] });
            let out = "";
            let err = "";
            const timer = setTimeout(() => child.kill("SIGKILL"), timeoutSeconds * 1000);
            child.stdout.on("data", (d: Buffer) => (out += d));
            child.stderr.on("data", (d: Buffer) => (err += d));
            child.on("close", (code) => {
                clearTimeout(timer);
                code === 0 ? resolve(out) : reject(new Error(`host script failed (${code}): ${err.slice(-500)}`));
            });
            child.stdin.end(script);
        });
    },
};

export function guestTarget(name: string, ssh: SshTarget): Target {
    return { name, exec: (script, timeoutSeconds = 600) => sshScript(ssh, script, { timeoutMs: timeoutSeconds * 1000 }) };
}
