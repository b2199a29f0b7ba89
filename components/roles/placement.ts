import { GuestLimits, LIMIT_KEYS } from "../platforms/driver";
import { RoleName, ROLES, roleNamed } from ".";
import type { Topology } from "../config";

/** One guest of the stack and the roles it carries. */
export interface GuestPlacement {
    /** Suffix of the guest's name (vtb-<stack>-<suffix>). */
    name: string;
    roles: RoleName[];
    vcpus: number;
    memoryMiB: number;
    limits: GuestLimits;
    /** Host cores the guest is pinned to (a cpuset list); absent = any. */
    cpuset?: string;
}

/**
 * Roles sharing a guest share its caps: their sum, or uncapped (0) if any role is uncapped. A
 * summed CPU share above the guest's vCPUs is no cap.
 */
function sharedLimits(t: Topology, roles: RoleName[], vcpus: number): GuestLimits {
    const cap = (key: keyof GuestLimits) => (roles.some((r) => t[r][key] === 0) ? 0 : roles.reduce((sum, r) => sum + t[r][key], 0));
    const limits = Object.fromEntries(LIMIT_KEYS.map((k) => [k, cap(k)])) as unknown as GuestLimits;
    return limits.cpuPercent >= vcpus * 100 ? { ...limits, cpuPercent: 0 } : limits;
}

/**
 * Which guest carries which role. Default: one guest per role. Compact: each role in the guest
 * it declares (broker+database in "core", ingest+visualization in "apps"), sized to the largest
 * vCPU count and the summed memory of its roles, so a stack fits a 2-core host even under emulation.
 */
export function placement(t: Topology): GuestPlacement[] {
    const groups = new Map<string, RoleName[]>();
    for (const r of ROLES) {
        const guest = t.compact ? roleNamed(r).compactGuest : r;
        groups.set(guest, [...(groups.get(guest) ?? []), r]);
    }
    return [...groups.entries()].map(([name, roles]) => {
        const vcpus = Math.max(...roles.map((r) => t[r].vcpus));
        return { name, roles, vcpus, memoryMiB: roles.reduce((sum, r) => sum + t[r].memoryMiB, 0), limits: sharedLimits(t, roles, vcpus) };
    });
}

/** The guest that carries a role. */
export function guestOf(guests: GuestPlacement[], role: RoleName): GuestPlacement {
    return guests.find((g) => g.roles.includes(role)) as GuestPlacement;
}
