// The stack outputs' types (README, "Outputs"): what `pulumi stack output` returns and what
// compare/ reads back, declared once.
import type { GuestDetails, GuestLimits } from "./platforms/driver";
import type { HostFacts } from "./platforms";
import type { RoleName } from "./roles";
import type { Metrics } from "../workloads/harness/suite";

export type { Metrics, HostFacts };

/** One guest: what it carries, its size and caps, and what its platform applied. */
export interface GuestOutput {
    roles: RoleName[];
    platform: string;
    address: string;
    vcpus: number;
    memoryMiB: number;
    limits: GuestLimits;
    emulated: boolean;
    /** The SSH host key the testbed generated for the guest and pins (absent from stacks made before keys were pinned). */
    sshHostKey?: string;
    details: GuestDetails;
}

export interface Timings {
    image: { buildSeconds: number; cached: boolean; sizeBytes: number; rootfs: string };
    /** Per guest (by its short name). */
    guests: Record<string, { provisionSeconds: number; bootToReadySeconds: number }>;
    /** The platform's own host, when the stack boots one (nested Xen). */
    host?: { bootToReadySeconds: number };
    benchmarkSeconds: number;
}

export interface Capacity {
    overcommit: boolean;
    /** What exceeds this host, when overcommit is on. */
    overcommitted: string[];
}
