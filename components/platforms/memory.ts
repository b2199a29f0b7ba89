// How a platform accounts the host memory its guests take: scripts for the platform's host (this
// machine, or the nested host's dom0) that the density suite runs. It never names a platform.
import type { Cannot, Capability } from "./operations";

export interface MemoryAccounting {
    /** Prints the bytes the host spends on one guest now. */
    guestBytes(guestName: string): string;
    /** How guestBytes counts, for the metric's params. */
    guestHow: string;
    /** Prints the bytes the platform has free for guests now. */
    freeBytes: string;
    /** Prints the bytes the platform has for guests in all. */
    totalBytes: string;
    /** Prints the bytes the host shares between pages of identical content now, or why it shares none here. */
    pageSharing: (Capability & { script: string }) | Cannot;
    /** Prints one sentence: whether the platform reserves a guest's memory when it starts, so whether it lets their sum exceed the host's. */
    commitPolicy: string;
}

/** What the density suite receives (state holds no functions): the host's scripts, and each guest's memoryBytes. */
export type HostMemoryScripts = Omit<MemoryAccounting, "guestBytes">;

/** A line of /proc/meminfo, in bytes (a local platform's free and total memory). */
export const meminfoBytes = (field: "MemAvailable" | "MemTotal") => `awk '/^${field}:/ {printf "%.0f\\n", $2 * 1024}' /proc/meminfo`;

/** The kernel's overcommit mode, as a parenthesis for a policy sentence. */
export const OVERCOMMIT_MODE = `(vm.overcommit_memory=$(cat /proc/sys/vm/overcommit_memory))`;
