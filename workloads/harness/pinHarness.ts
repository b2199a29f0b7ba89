// The harness (this process: the load generator, the SSH clients it starts) kept off the victim's
// cores while it measures beside a neighbour, and given back its cores afterwards.
import { run } from "../../components/lib/exec";

/** Pins every thread of this process to `cores`; returns what undoes it. */
export async function pinHarness(cores: string): Promise<() => Promise<void>> {
    const pid = String(process.pid);
    const before = /affinity list:\s*(\S+)/.exec(await run("taskset", ["-p", "-c", pid], { timeoutMs: 10_000 }))?.[1];
    if (!before) throw new Error("taskset did not report this process's CPU affinity");
    await run("taskset", ["-a", "-p", "-c", cores, pid], { timeoutMs: 10_000 });
    return async () => void (await run("taskset", ["-a", "-p", "-c", before, pid], { timeoutMs: 10_000 }));
}

/** Cores first..last as a cpuset list ("1", "0-2"). */
export const coreList = (first: number, last: number) => (first === last ? `${first}` : `${first}-${last}`);
