import { Target } from "./contract";
import { run } from "../../components/lib/exec";
import { sshScript, SshTarget } from "../../components/lib/ssh";

/** The bare host, the baseline every guest figure is compared with. */
export const hostTarget: Target = {
    name: "host",
    exec: (script, timeoutSeconds = 600) => run("sh", ["-es"], { input: script, timeoutMs: timeoutSeconds * 1000 }),
};

export function guestTarget(name: string, ssh: SshTarget): Target {
    return { name, exec: (script, timeoutSeconds = 600) => sshScript(ssh, script, { timeoutMs: timeoutSeconds * 1000 }) };
}
