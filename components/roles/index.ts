// The registry of middleware roles: the one list of them. Adding a role is its file in roles/
// and a line here (docs/architecture.md, "Add a role"); config, placement, the Middleware
// component and the benchmark's guest map all follow from this list.
import { brokerRole } from "./broker";
import { databaseRole } from "./database";
import { ingestRole } from "./ingest";
import { visualizationRole } from "./visualization";
import type { Role, RoleSize } from "./role";

/** In set-up order: a role comes after the roles it needs. */
export const ROLE_REGISTRY = { broker: brokerRole, database: databaseRole, ingest: ingestRole, visualization: visualizationRole } as const;

export type RoleName = keyof typeof ROLE_REGISTRY;
export const ROLES = Object.keys(ROLE_REGISTRY) as RoleName[];

/** A role's config: its size and its own settings. */
export type RoleConfig<R extends RoleName> = (typeof ROLE_REGISTRY)[R]["defaults"];
export type RoleConfigs = { [R in RoleName]: RoleConfig<R> };

/** A role, seen without knowing which one it is. */
export type AnyRole = Role<RoleName, object>;
export function roleNamed(name: RoleName): AnyRole {
    return ROLE_REGISTRY[name] as AnyRole;
}

export type { RoleSize };

/** A record with one entry per role. */
export function perRole<T>(value: (role: RoleName) => T): Record<RoleName, T> {
    return Object.fromEntries(ROLES.map((r) => [r, value(r)])) as Record<RoleName, T>;
}
