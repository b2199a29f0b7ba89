import * as pulumi from "@pulumi/pulumi";
import type { Raw } from "../lib/settings";
import type { GuestLimits, HostAccess } from "./driver";
import type { GuestOperations } from "./operations";
import type { MemoryAccounting } from "./memory";
import type { HostProfile } from "./common/hostProfile";

// The program side of a platform (docs/architecture.md, "Platforms"): its config rules and
// defaults, what it costs the host, and its host. Testbed asks the selected platform for these and
// never names one; each platform lives in its own folder (platforms/<name>/).

/** Where a platform runs: this machine, a host the stack boots for itself (a nested Xen), or a host named by ssh://user@host. */
export type HostKind = "local" | "nested" | "ssh";

/** The host a preflight judges a platform's settings by: what it offers, and how the stack names it. */
export interface PreflightHost {
    kind: HostKind;
    profile: HostProfile;
    /** "this machine", or user@host for a remote one: what refusals name. */
    where: string;
}

/** A guest's size as the platform sees it when it sizes its host. */
export interface GuestSizing {
    vcpus: number;
    memoryMiB: number;
    limits: GuestLimits;
}

/** What a platform needs to bring its host up. */
export interface HostArgs<S> {
    stack: string;
    owner: string;
    settings: S;
    bridge: pulumi.Input<string>;
    /** The address the stack's plan reserves for a platform host (.2 of the subnet). */
    cidr: string;
    rootfs: pulumi.Input<string>;
    authorizedKey: pulumi.Input<string>;
    privateKey: pulumi.Input<string>;
    guests: GuestSizing[];
    /** Memory a host the stack boots keeps free beyond its guests' (a migration within it holds a guest twice). */
    spareMemoryMiB: number;
}

/** Facts of this machine as a host: nothing to add. */
export interface LocalHostFacts {
    kind: "local";
}

/** A platform's host, as the rest of the testbed sees it. */
export interface PlatformHost<F> {
    /** How the guests reach it (given to every guest). */
    access: pulumi.Output<HostAccess>;
    /** What the host is, for the outputs (`host`). */
    facts: pulumi.Output<F | LocalHostFacts>;
    /** Its boot to ready, when the stack boots one. */
    bootToReadySeconds?: pulumi.Output<number>;
    /** What guests must wait for. */
    dependsOn: pulumi.Resource[];
}

export interface Platform<N extends string, S, F = never> {
    readonly name: N;
    /** The stack-config section of the platform's own settings (virt-testbed:<name>), validated. */
    parseSettings(raw: Raw): S;
    /** `virt-testbed:host` for this platform: its default when unset, or a clear refusal. */
    parseHost(value: unknown): HostKind;
    /** Memory the platform itself takes on this machine beyond the guests' (capacity preflight). */
    overheadMiB(settings: S, guests: number): number;
    /**
     * A shell script for the platform's host (this machine, or the host the stack booted) that
     * prints the CPU seconds a guest has used so far as the host accounts them (the entitlement
     * suite's judge); absent where a guest has no account of its own.
     */
    cpuSecondsProbe?(guestName: string): string;
    /**
     * A shell script for the platform's host printing the PID of the process that runs a guest
     * (the container's init, QEMU), or nothing where no process does (a Xen domain): the security
     * suite reads its credentials and confinement.
     */
    guestProcessProbe?(guestName: string): string;
    /** The operations suite's steps on a guest (stop, start, pause, clone, checkpoint…), as scripts for the platform's host. */
    operations?(guestName: string, owner: string): GuestOperations;
    /** How the host's memory is spent on its guests (the density suite), as scripts for the platform's host. */
    memory?: MemoryAccounting;
    /** The least memory a guest of this platform boots with, and why (checked before anything is provisioned). */
    minGuestMemory?: { mib: number; why: string };
    /** Refuses, with a ConfigError naming the setting, what the host cannot give the platform's settings (checked before anything is provisioned). */
    preflight?(settings: S, host: PreflightHost): void;
    /** Why its guests cannot be pinned to cores, where they cannot. */
    cannotPin?: string;
    /** The cores its guests are scheduled on, when not this machine's (a nested host's vCPUs). */
    hostCores?(machineCores: number, guests: GuestSizing[]): number;
    /** Brings up the platform's host, or describes this machine. */
    host(args: HostArgs<S>, opts: pulumi.ComponentResourceOptions): PlatformHost<F>;
}

/** The host of a platform that runs on this machine. */
export function localHost(): PlatformHost<never> {
    return { access: pulumi.output({ kind: "local" as const }), facts: pulumi.output({ kind: "local" as const }), dependsOn: [] };
}
