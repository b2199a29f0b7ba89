import * as pulumi from "@pulumi/pulumi";
import type { GuestLimits } from "../platforms/driver";
import type { Raw } from "../lib/settings";

// A middleware role (docs/architecture.md, "Roles"): its default size, its own settings, where it
// goes in the compact topology, which roles it needs, how it is provisioned in its guest and what
// endpoints it offers. The registry (roles/index.ts) is the one list of roles.

export interface RoleSize extends GuestLimits {
    vcpus: number;
    memoryMiB: number;
}

/** What the roles offer each other and the outputs. Secrets stay Pulumi secrets. */
export interface Endpoints {
    /** amqp://vtb:<password>@<broker>:5672 */
    amqpUrl: pulumi.Output<string>;
    /** postgres://vtb:<password>@<database>:5432/sensing */
    pgUrl: pulumi.Output<string>;
    /** The same database as a role that may only read the observations (the dashboard's). */
    readOnlyPgUrl?: pulumi.Output<string>;
    /** http://<visualization>:8080/ */
    dashboardUrl: string;
}

/** What a role's provisioning sees. */
export interface RoleContext<X> {
    /** The address of the guest that carries the role. */
    address: string;
    /** The role's size and its own settings from the stack config. */
    config: RoleSize & X;
    /** The stack's subnet (who may connect). */
    subnet: string;
    secrets: { brokerPassword: pulumi.Output<string>; databasePassword: pulumi.Output<string> };
    /** Whether the platform runs emulated (start-up waits are longer). */
    emulated: pulumi.Output<boolean>;
    /** Endpoints of the roles this one needs (set up before it). */
    endpoints: Partial<Endpoints>;
}

/** How a role is set up in its guest. */
export interface RoleSetup {
    /** Shell run as root in the guest over SSH (may hold secrets: never logged). */
    script: pulumi.Output<string>;
    timeoutSeconds?: pulumi.Output<number>;
    /** What the role offers once set up. */
    endpoints?: Partial<Endpoints>;
}

export interface Role<N extends string, X extends object> {
    readonly name: N;
    /** Component type token of the role (virt-testbed:role:<Type>). */
    readonly type: string;
    readonly defaults: RoleSize & X;
    /** The role's own settings beyond its size (e.g. ingest.workers), validated; keys listed for the unknown-key check. */
    readonly settingKeys: readonly string[];
    parseSettings(raw: Raw, section: string): X;
    /** The guest it shares in the compact topology (two guests instead of one per role). */
    readonly compactGuest: "core" | "apps";
    /** Roles whose endpoints it needs. */
    readonly needs: readonly string[];
    setup(ctx: RoleContext<X>): RoleSetup;
}

/** A role with no settings beyond its size. */
export const noSettings = { settingKeys: [] as const, parseSettings: () => ({}) };

/** Declares a role, keeping its settings' type. */
export function defineRole<N extends string, X extends object>(role: Role<N, X>): Role<N, X> {
    return role;
}

/** An endpoint a role needs, or a clear error naming the missing role. */
export function need<K extends keyof Endpoints>(ctx: RoleContext<object>, key: K, from: string): NonNullable<Endpoints[K]> {
    const e = ctx.endpoints[key];
    if (e === undefined) throw new Error(`role set-up needs ${key} from the ${from} role, which is not set up before it`);
    return e as NonNullable<Endpoints[K]>;
}
