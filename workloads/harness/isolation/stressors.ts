// The six stressors of the Isolation Benchmark Suite as commands for a neighbour guest, and what
// each reports as its own work done (proof that it loaded the machine). Pure: unit-tested.
import { iperf3InterruptedBitsPerSecond, stressNgOpsPerSecond } from "../parse";
import type { StressorName } from "./names";

/** What a stressor needs to know of its guest and of the host-side server it may talk to. */
export interface StressorSite {
    vcpus: number;
    memoryMiB: number;
    /** The host's address on the stack's bridge, and the port of a one-shot iperf3 server there. */
    server: { address: string; port: number };
    /** The stressor's own time bound, seconds (it is stopped sooner, once the victim is measured). */
    boundSeconds: number;
}

export interface Stressor {
    name: StressorName;
    /** What it does, for the provenance. */
    tool: string;
    /** It talks to a one-shot iperf3 server on the host. */
    needsServer: boolean;
    /** The name of its worker processes, once it runs (stress-ng's). */
    worker?: string;
    command(site: StressorSite): string;
    workUnit: string;
    /** Its work per second, from its output once stopped. */
    work(out: string): number;
}

/** Processes the fork stressor keeps alive at most, per instance: a fork bomb the host survives. */
export const FORK_MAX = 32;

const stressNg = (args: string, site: StressorSite) => `stress-ng ${args} --timeout ${Math.ceil(site.boundSeconds)}s --metrics-brief`;

function stressNgStressor(name: StressorName, stressor: string, tool: string, args: (s: StressorSite) => string): Stressor {
    return {
        name,
        tool,
        needsServer: false,
        worker: `stress-ng-${stressor}`,
        command: (s) => stressNg(args(s), s),
        workUnit: "bogo ops/s",
        work: (out) => stressNgOpsPerSecond(out, stressor),
    };
}

function iperfStressor(name: StressorName, reverse: boolean): Stressor {
    return {
        name,
        tool: `iperf3 ${reverse ? "-R (the neighbour receives from the host)" : "(the neighbour sends to the host)"}`,
        needsServer: true,
        command: (s) => `iperf3 -c ${s.server.address} -p ${s.server.port} -t ${Math.ceil(s.boundSeconds)} -J${reverse ? " -R" : ""}`,
        workUnit: "Gbit/s",
        work: (out) => iperf3InterruptedBitsPerSecond(out) / 1e9,
    };
}

export const STRESSOR_PLANS: Record<StressorName, Stressor> = {
    cpu: stressNgStressor("cpu", "cpu", "stress-ng --cpu, one worker per vCPU", (s) => `--cpu ${s.vcpus}`),
    // Half the guest's memory over one worker per vCPU, rewritten continuously: bandwidth, not the OOM killer.
    memory: stressNgStressor(
        "memory",
        "vm",
        "stress-ng --vm over half the guest's memory",
        (s) => `--vm ${s.vcpus} --vm-bytes ${Math.max(16, Math.floor(s.memoryMiB / 2 / s.vcpus))}M`,
    ),
    fork: stressNgStressor("fork", "fork", `stress-ng --fork, at most ${FORK_MAX} children per worker`, (s) => `--fork ${s.vcpus} --fork-max ${FORK_MAX}`),
    disk: stressNgStressor(
        "disk",
        "hdd",
        "stress-ng --hdd, direct I/O on the guest's disk",
        () => "--hdd 1 --hdd-bytes 64M --hdd-opts direct --temp-path /var/tmp",
    ),
    netSend: iperfStressor("netSend", false),
    netReceive: iperfStressor("netReceive", true),
};
