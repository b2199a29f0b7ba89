// Waiting for a VM's sshd after boot. A guest that never answers fails with the end of its
// console: that is where its kernel or init said why.
import { waitForPort } from "../../lib/ssh";

const CONSOLE_LINES = 30;

export async function waitForGuestSsh(address: string, timeoutSeconds: number, consoleText: () => Promise<string>, port = 22): Promise<void> {
    try {
        await waitForPort(address, port, timeoutSeconds);
    } catch (e) {
        const tail = (await consoleText().catch(() => "")).trimEnd().split("\n").slice(-CONSOLE_LINES).join("\n");
        throw new Error(`${(e as Error).message}; the last lines of its console:\n${tail || "(nothing)"}`);
    }
}
