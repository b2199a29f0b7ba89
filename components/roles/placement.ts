import { GuestLimits, LIMIT_KEYS, Role, ROLES, Topology } from "../config";

/** One guest of the stack and the roles it carries. */
export interface GuestPlacement {
    /** Suffix of the guest's name (vtb-<stack>-<suffix>). */
    name: string;
    roles: Role[];
    vcpus: number;
    memoryMiB: number;
    limits: GuestLimits;
}

/** Roles sharing a guest share its caps: their sum, or uncapped (0) if any role is uncapped. */
function sharedLimits(t: Topology, roles: Role[]): GuestLimits {
    const cap = (key: keyof GuestLimits) => (roles.some((r) => t[r][key] === 0) ? 0 : roles.reduce((sum, r) => sum + t[r][key], 0));
    return Object.fromEntries(LIMIT_KEYS.map((k) => [k, cap(k)])) as unknown as GuestLimits;
}

/**
 * Which guest carries which role. Default: one guest per role. Compact: broker+database in
 * "core", ingest+visualization in "apps", sized to the largest vCPU count and the summed memory
 * of their roles, so a stack fits a 2-core host even under emulation.
 */
export function placement(t: Topology): GuestPlacement[] {
    const groups: Array<[string, Role[]]> = t.compact
        ? [["core", ["broker", "database"]], ["apps", ["ingest", "visualization"]]]
        : ROLES.map((r) => [r, [r]]);
    return groups.map(([name, roles]) => ({
        name,
        roles,
        vcpus: Math.max(...roles.map((r) => t[r].vcpus)),
        memoryMiB: roles.reduce((sum, r) => sum + t[r].memoryMiB, 0),
        limits: sharedLimits(t, roles),
    }));
}

/** The guest that carries a role. */
export function guestOf(guests: GuestPlacement[], role: Role): GuestPlacement {
    return guests.find((g) => g.roles.includes(role)) as GuestPlacement;
}
