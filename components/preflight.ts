// Checks of a stack's plan against the host it runs on, before anything is provisioned: the
// network must not collide with the host's addresses and routes or with the other stacks of this
// checkout, and the guests must fit the host's cores and memory. Pure: hostFacts.ts gathers the
// facts, so every rule is unit-tested.
import { ConfigError, TestbedConfig } from "./config";
import { allGuests } from "./neighbours";
import { migrationSpareMiB } from "./operationsGuest";
import { DENSITY_GUEST_PREFIX } from "./densityGuests";
import { platformNamed } from "./platforms";
import { describeOwner } from "./lib/ownership";

/** An IPv4 network as numbers: base address and prefix length. */
interface Net {
    base: number;
    prefix: number;
}

function toNumber(ip: string): number {
    return ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
}

function parseNet(cidr: string): Net | undefined {
    const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?$/.exec(cidr === "default" ? "0.0.0.0/0" : cidr);
    if (!m) return undefined;
    const prefix = m[2] === undefined ? 32 : Number(m[2]);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { base: (toNumber(m[1]) & mask) >>> 0, prefix };
}

/** True when two IPv4 networks share an address. */
export function overlaps(a: string, b: string): boolean {
    const x = parseNet(a);
    const y = parseNet(b);
    if (!x || !y) return false;
    const prefix = Math.min(x.prefix, y.prefix);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return (x.base & mask) >>> 0 === (y.base & mask) >>> 0;
}

/** The host's IPv4 networks: addresses on interfaces and routes (the default route is not a collision). */
export interface HostNetwork {
    /** Every interface with its alias, where our ownership marks live. */
    links?: { ifname: string; alias?: string }[];
    addresses: { ifname: string; cidr: string }[];
    routes: { dst: string; dev?: string }[];
}

/** Another stack of this checkout, as its stack file sets it. */
export interface OtherStack {
    name: string;
    bridge: string;
    subnet: string;
}

/**
 * What the stack's bridge and subnet collide with. Our own bridge (from an earlier up) carries
 * our mark: its address and route are the plan itself, not a collision.
 */
export function networkConflicts(net: { bridge: string; subnet: string }, host: HostNetwork, ownLinks: Set<string>, others: OtherStack[]): string[] {
    const found: string[] = [];
    for (const a of host.addresses) {
        if (!ownLinks.has(a.ifname) && overlaps(a.cidr, net.subnet)) found.push(`address ${a.cidr} on ${a.ifname}`);
    }
    for (const r of host.routes) {
        if (r.dst === "default" || (r.dev !== undefined && ownLinks.has(r.dev))) continue;
        if (overlaps(r.dst, net.subnet)) found.push(`route ${r.dst}${r.dev ? ` via ${r.dev}` : ""}`);
    }
    for (const o of others) {
        if (overlaps(o.subnet, net.subnet)) found.push(`stack '${o.name}' of this checkout (subnet ${o.subnet})`);
    }
    return found;
}

/** The first 10.231.x.0/24 that nothing on the host or in the other stacks uses. */
export function freeSubnet(host: HostNetwork, others: OtherStack[]): string | undefined {
    for (let x = 1; x < 255; x++) {
        const candidate = `10.231.${x}.0/24`;
        if (networkConflicts({ bridge: "", subnet: candidate }, host, new Set(), others).length === 0) return candidate;
    }
    return undefined;
}

/** Throws the error a user sees for a colliding bridge name or subnet, naming a free subnet. */
export function checkNetwork(config: TestbedConfig, host: HostNetwork, ownLinks: Set<string>, others: OtherStack[], owner = ""): void {
    const existing = (host.links ?? []).find((l) => l.ifname === config.network.bridge);
    if (existing && !ownLinks.has(existing.ifname)) {
        throw new ConfigError(
            "network.bridge",
            `an interface named ${existing.ifname} already exists and ${describeOwner(existing.alias, owner)}; the testbed never changes or deletes it`,
            "Give the stack a bridge of its own: pulumi config set --path virt-testbed:network.bridge vtb-<stack>.",
        );
    }
    const sameBridge = others.find((o) => o.bridge === config.network.bridge);
    if (sameBridge) {
        throw new ConfigError(
            "network.bridge",
            `${config.network.bridge} is also the bridge of stack '${sameBridge.name}' of this checkout`,
            "Give each stack its own bridge, e.g. vtb-<stack>.",
        );
    }
    const conflicts = networkConflicts(config.network, host, ownLinks, others);
    if (conflicts.length) {
        const free = freeSubnet(host, others);
        throw new ConfigError(
            "network.subnet",
            `${config.network.subnet} collides with ${conflicts.join(", ")}`,
            free
                ? `Use a free one, e.g.: pulumi config set --path virt-testbed:network.subnet ${free}.`
                : "Pick a private /24 that no interface or route of this host uses.",
        );
    }
}

/** What the host can give the guests. */
export interface HostCapacity {
    cores: number;
    memoryMiB: number;
    /** The load generator's heap limit (it runs on this host, in Node). */
    generatorHeapBytes: number;
}

/** Memory the host keeps for itself, the harness and the Pulumi engine. */
export const HOST_RESERVE_MIB = 2048;
/** What the generator keeps per observation until it is stored: key, send time, latency. */
export const GENERATOR_BYTES_PER_OBSERVATION = 400;

/** The demand of a stack on the host: the largest guest's vCPUs, and memory with the platform's overhead and a migrating guest's second copy. */
export function demand(config: TestbedConfig): { maxVcpus: number; memoryMiB: number; generatorBytes: number } {
    const guests = allGuests(config);
    const guestMemory = guests.reduce((sum, g) => sum + g.memoryMiB, 0);
    const platformOwn = platformNamed(config.platform).overheadMiB(config.settings, guests.length);
    const b = config.benchmark;
    return {
        maxVcpus: Math.max(...guests.map((g) => g.vcpus)),
        memoryMiB: guestMemory + platformOwn + migrationSpareMiB(config),
        generatorBytes: b.rate * b.durationSeconds * GENERATOR_BYTES_PER_OBSERVATION,
    };
}

/** Refuses a guest smaller than its platform can boot, naming the setting that sized it. */
export function checkGuestMemory(config: TestbedConfig): void {
    const min = platformNamed(config.platform).minGuestMemory;
    const small = min && allGuests(config).find((g) => g.memoryMiB < min.mib);
    if (!min || !small) return;
    const setting = small.name.startsWith(DENSITY_GUEST_PREFIX)
        ? "benchmark.density.memoryMiB"
        : small.roles.length
          ? `topology.${small.roles[0]}.memoryMiB`
          : "topology";
    throw new ConfigError(
        setting,
        `guest ${small.name} would have ${small.memoryMiB} MiB, and a ${config.platform} guest needs at least ${min.mib} MiB: ${min.why}`,
        `Set ${setting} to ${min.mib} or more.`,
    );
}

/**
 * What the stack asks beyond the host: refused unless the stack sets `overcommit: true`, in which
 * case the same list is reported in the outputs. The generator's memory is never overcommitted:
 * a run that cannot hold its observations measures nothing.
 */
export function checkCapacity(config: TestbedConfig, host: HostCapacity): string[] {
    const d = demand(config);
    const b = config.benchmark;
    if (d.generatorBytes > host.generatorHeapBytes / 2) {
        throw new ConfigError(
            "benchmark.rate",
            `${b.rate} obs/s for ${b.durationSeconds} s keeps about ${(d.generatorBytes / 2 ** 20).toFixed(0)} MiB of observations in the load generator, more than half its ${(host.generatorHeapBytes / 2 ** 20).toFixed(0)} MiB heap`,
            "Lower benchmark.rate or benchmark.durationSeconds.",
        );
    }
    const over: string[] = [];
    if (d.maxVcpus > host.cores) over.push(`a guest has ${d.maxVcpus} vCPUs, the host ${host.cores} cores`);
    const available = host.memoryMiB - HOST_RESERVE_MIB;
    if (d.memoryMiB > available) {
        over.push(
            `the guests need ${d.memoryMiB} MiB (with the platform's own${migrationSpareMiB(config) ? " and the migrating guest's second copy" : ""}), the host can give ${available} MiB (${host.memoryMiB} MiB less ${HOST_RESERVE_MIB} MiB kept for itself)`,
        );
    }
    if (over.length && !config.overcommit) {
        throw new ConfigError(
            "topology",
            `the stack does not fit this host: ${over.join("; ")}`,
            "Make the guests smaller (topology.<role>.vcpus, memoryMiB; topology.compact), or accept it with: pulumi config set virt-testbed:overcommit true (the outputs then report it).",
        );
    }
    return over;
}
