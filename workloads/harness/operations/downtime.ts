// The downtime an operation causes, seen from the host: a TCP connection attempt to the guest every
// 20 ms, to a port nothing listens on, which the guest's kernel answers at once (a reset) while it
// runs. The largest gap between two attempts that were answered quickly is the downtime. Attempts
// go out on a fixed clock, not one after another, so a stall does not stretch the spacing.
import * as net from "net";
import { sleep } from "../../../components/lib/exec";

export const PROBE_INTERVAL_MS = 20;
/** An answer later than this counts as none: the guest was not running when it was asked. */
export const PROBE_ANSWER_MS = 500;
/** The discard port: nothing in our guests listens there, so the kernel answers with a reset. */
const PROBE_PORT = 9;

/** Whether the guest's kernel answered a connection attempt within `timeoutMs` (accepted or refused). */
function answered(address: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
        const sock = net.connect({ host: address, port: PROBE_PORT, timeout: timeoutMs });
        const done = (yes: boolean) => {
            sock.destroy();
            resolve(yes);
        };
        sock.on("connect", () => done(true));
        sock.on("timeout", () => done(false));
        // A reset is an answer; "no route" or "host unreachable" is not.
        sock.on("error", (e: NodeJS.ErrnoException) => done(e.code === "ECONNREFUSED"));
    });
}

/** Probes `address` until stopped; stop() gives the send times (ms) of the attempts answered in time. */
export function continuousProbe(address: string): { stop(): Promise<number[]> } {
    const pending: Promise<number | undefined>[] = [];
    let stopped = false;
    const loop = (async () => {
        for (let next = Date.now(); !stopped; next += PROBE_INTERVAL_MS) {
            const sent = Date.now();
            pending.push(answered(address, PROBE_ANSWER_MS).then((yes) => (yes ? sent : undefined)));
            await sleep(Math.max(0, next + PROBE_INTERVAL_MS - Date.now()));
        }
    })();
    return {
        async stop() {
            stopped = true;
            await loop;
            return (await Promise.all(pending)).filter((t): t is number => t !== undefined).sort((a, b) => a - b);
        },
    };
}

/** The largest gap (s) between consecutive answered attempts; refuses a probe the guest never answered twice. */
export function largestGapSeconds(answeredAt: number[]): number {
    if (answeredAt.length < 2) throw new Error(`the guest answered ${answeredAt.length} of the host's probes: no downtime can be told`);
    let gap = 0;
    for (let i = 1; i < answeredAt.length; i++) gap = Math.max(gap, answeredAt[i] - answeredAt[i - 1]);
    return gap / 1000;
}
