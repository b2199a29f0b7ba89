// When a guest is back after an operation: it answers an SSH command again (with a new boot id
// after a reboot). Polled from the harness, so the time includes one SSH handshake.
import type { Target } from "../contract";
import { sleep } from "../../../components/lib/exec";

/** Prints the kernel's boot id as the guest sees it: new on every boot (liblxc gives each container start its own). */
export const BOOT_ID = "cat /proc/sys/kernel/random/boot_id";

/** Restarts the guest from inside, after `delaySeconds` (the SSH command that asks returns first): reboot(2) with RB_AUTOBOOT. */
export function rebootScript(delaySeconds: number): string {
    const reboot = `python3 -c 'import ctypes, os; os.sync(); ctypes.CDLL(None).reboot(0x01234567)'`;
    return `setsid -f sh -c "sleep ${delaySeconds}; ${reboot}" >/dev/null 2>&1 </dev/null`;
}

/** How long one attempt may take: a paused or booting guest leaves it hanging. */
const ATTEMPT_SECONDS = 10;
const POLL_MS = 200;

/** Seconds from `since` (a Date.now()) until the guest answers with a boot id that `accept` takes. */
export async function secondsUntilAnswers(
    guest: Target,
    since: number,
    deadlineSeconds: number,
    accept: (bootId: string) => boolean = () => true,
): Promise<number> {
    let last = "no answer yet";
    while (Date.now() - since < deadlineSeconds * 1000) {
        try {
            const id = (await guest.exec(BOOT_ID, ATTEMPT_SECONDS)).trim();
            if (accept(id)) return (Date.now() - since) / 1000;
            last = `still boot id ${id}`;
        } catch (e) {
            last = String(e).split("\n")[0];
        }
        await sleep(POLL_MS);
    }
    throw new Error(`${guest.name} did not answer within ${deadlineSeconds} s of the operation (${last})`);
}
