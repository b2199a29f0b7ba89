import { PLATFORM_NAMES, PlatformName, PlatformSettings, platformNamed } from "./platforms";
import type { HostKind } from "./platforms/platform";
import { LIMIT_KEYS } from "./platforms/driver";
import { RoleConfigs, RoleName, ROLES, roleNamed } from "./roles";
import type { RoleSize } from "./roles/role";
import { BENCHMARK_NAMES, BenchmarkName, DEFAULT_SUITES } from "../workloads/harness/benchmarkNames";
import { OPERATION_STEPS, OperationStep } from "../workloads/harness/operations/names";
import { ISOLATION_MODES, IsolationMode, StressorName, STRESSORS, VictimName, VICTIMS } from "../workloads/harness/isolation/names";
import { bool, ConfigError, intIn, nameList, objectAt, Raw, rejectUnknown } from "./lib/settings";
import { FINGERPRINT, PUBLIC_KEY, SshHost } from "./lib/sshHost";
import { parseSshUri } from "./platforms/common/hostTarget";

// Typed, validated stack configuration. Everything the testbed does is derived from a
// TestbedConfig; parseConfig is pure so that every rule is unit-tested, and it runs before any
// resource is registered, so bad input never provisions anything. The platform's own section and
// host rules belong to the platform (platforms/<name>/index.ts), each role's settings to the role.

export { ConfigError } from "./lib/settings";
export { LIMIT_KEYS, UNLIMITED } from "./platforms/driver";
export type { GuestLimits } from "./platforms/driver";
export type { HostKind } from "./platforms/platform";
export type { PlatformName as Platform } from "./platforms";
export type { RoleName as Role } from "./roles";
export { ROLES } from "./roles";
export const PLATFORMS: readonly PlatformName[] = PLATFORM_NAMES;

export type GuestSize = RoleSize;

/** Per role its size and settings, and whether roles share guests. */
export type Topology = { compact: boolean } & RoleConfigs;

export interface NetworkConfig {
    /** Linux bridge the stack creates and owns (one per stack, so stacks coexist). */
    bridge: string;
    /** IPv4 /24 of the bridge: .1 is the host, guests count up from .10. */
    subnet: string;
}

export interface BenchmarkConfig {
    /** Benchmarks run after each deploy, in this order (workloads/harness/benchmarks/). */
    suites: BenchmarkName[];
    repetitions: number;
    stations: number;
    sensorsPerStation: number;
    /** Offered load, observations per second over all stations. */
    rate: number;
    durationSeconds: number;
    /** Length of one micro-benchmark run (sysbench, fio, iperf3, pgbench). */
    microSeconds: number;
    /** Measured seconds of the broker-only ceiling (the pipeline's reference), after `saturation.warmupSeconds`. */
    ceilingSeconds: number;
    saturation: SaturationConfig;
    /** N of the thesis's experiments (publish, consume, drain); it used 50,000. */
    analogObservations: number;
    isolation: IsolationConfig;
    entitlement: EntitlementConfig;
    operations: OperationsConfig;
    scaling: ScalingConfig;
    density: DensityConfig;
}

/** The density suite (workloads/harness/benchmarks/density.ts): how many minimal guests it boots together, and their memory. */
export interface DensityConfig {
    guests: number[];
    memoryMiB: number;
}

/** The scaling suite (workloads/harness/benchmarks/scaling.ts): the ingest worker counts it searches with. */
export interface ScalingConfig {
    workers: number[];
}

/** The operations suite (workloads/harness/benchmarks/operations.ts): which operations it takes. */
export interface OperationsConfig {
    steps: OperationStep[];
}

/** The isolation suite (workloads/harness/benchmarks/isolation.ts): the victim beside each stressor. */
export interface IsolationConfig {
    stressors: StressorName[];
    /** Beside the uncapped neighbour, the capped one, or both (each is a guest of its own). */
    modes: IsolationMode[];
    /** The victim's measurements (the network ones need a second guest). */
    victims: VictimName[];
    /** Seconds of each victim measurement. */
    seconds: number;
}

/**
 * The caps of the entitled neighbour (a guest of the victim's size), which the entitlement suite
 * loads beyond each cap and the isolation suite's entitled mode runs its stressors in; 0 = no cap.
 */
export interface EntitlementConfig {
    cpuPercent: number;
    diskIops: number;
    diskMBps: number;
    netMbps: number;
    /** Seconds of each load beyond a cap. */
    seconds: number;
}

/** The saturation search (workloads/harness/saturation/). */
export interface SaturationConfig {
    /** Seconds of load per step of the search. */
    stepSeconds: number;
    /** Load before the first step, not judged (JIT, caches, connection pools). */
    warmupSeconds: number;
    startRate: number;
    maxRate: number;
    /** A step fails when its p99 latency (intended time to stored) exceeds this. */
    p99BoundMs: number;
}

export interface TestbedConfig {
    platform: PlatformName;
    /** Where the platform runs: this machine, a host the stack boots for itself, or a remote host (the platform's rule). */
    host: HostKind;
    /** The remote host when `host` is ssh://user@host[:port]: its pinned host key, and the key the testbed logs in with. */
    remote?: SshHost;
    /** The platform's own settings (virt-testbed:<platform>), as its config rules produced them. */
    settings: PlatformSettings;
    network: NetworkConfig;
    topology: Topology;
    benchmark: BenchmarkConfig;
    /** Accept guests beyond the host's cores or memory (reported in the outputs); refused otherwise. */
    overcommit: boolean;
}

export const DEFAULT_TOPOLOGY: Topology = {
    compact: false,
    ...(Object.fromEntries(ROLES.map((r) => [r, roleNamed(r).defaults])) as RoleConfigs),
};

export const DEFAULT_BENCHMARK: BenchmarkConfig = {
    suites: [...DEFAULT_SUITES],
    repetitions: 3,
    stations: 10,
    sensorsPerStation: 4,
    rate: 400,
    durationSeconds: 15,
    microSeconds: 5,
    ceilingSeconds: 20,
    saturation: { stepSeconds: 6, warmupSeconds: 5, startRate: 500, maxRate: 100000, p99BoundMs: 1000 },
    analogObservations: 50000,
    isolation: { stressors: [...STRESSORS], modes: [...ISOLATION_MODES], victims: [...VICTIMS], seconds: 5 },
    entitlement: { cpuPercent: 50, diskIops: 500, diskMBps: 50, netMbps: 200, seconds: 5 },
    operations: { steps: [...OPERATION_STEPS] },
    scaling: { workers: [1, 2, 4] },
    density: { guests: [1, 2, 4, 8], memoryMiB: 256 },
};

function parsePlatform(v: unknown): PlatformName {
    if (v === undefined) throw new ConfigError("platform", "is not set", `Set it with: pulumi config set virt-testbed:platform <${PLATFORMS.join("|")}>.`);
    if (typeof v !== "string" || !PLATFORMS.includes(v as PlatformName)) {
        throw new ConfigError("platform", `must be one of ${PLATFORMS.join(", ")}, got ${JSON.stringify(v)}`, "Pick one of those.");
    }
    return v as PlatformName;
}

const BRIDGE_NAME = /^[a-z][a-z0-9-]{0,14}$/;
const SUBNET_24 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/;

function isPrivate(a: number, b: number): boolean {
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

function parseNetwork(raw: Raw, platform: PlatformName): NetworkConfig {
    rejectUnknown(raw, ["bridge", "subnet"], "network");
    const bridge: unknown = raw.bridge === undefined ? `vtb-${platform}` : raw.bridge;
    if (typeof bridge !== "string" || !BRIDGE_NAME.test(bridge)) {
        throw new ConfigError(
            "network.bridge",
            `must be a Linux interface name (a-z, 0-9, '-', at most 15 characters, starting with a letter), got ${JSON.stringify(bridge)}`,
            `Pick a short name such as vtb-${platform}.`,
        );
    }
    const subnet: unknown = raw.subnet === undefined ? "10.231.1.0/24" : raw.subnet;
    const m = typeof subnet === "string" ? SUBNET_24.exec(subnet) : null;
    const octets = m ? m.slice(1, 4).map(Number) : [];
    // iproute2 reads a leading zero as octal (010 = 8, a public range): never accept one.
    if (m && m.slice(1, 4).some((o) => /^0\d/.test(o))) {
        throw new ConfigError(
            "network.subnet",
            `has an octet with a leading zero (${subnet}), which ip reads as octal`,
            "Write the octets without leading zeros, e.g. 10.231.1.0/24.",
        );
    }
    if (!m || octets.some((o) => o > 255) || !isPrivate(octets[0], octets[1])) {
        throw new ConfigError(
            "network.subnet",
            `must be a private IPv4 /24 written as a.b.c.0/24, got ${JSON.stringify(subnet)}`,
            "Pick an unused one such as 10.231.1.0/24; the host takes .1, guests .10 upward.",
        );
    }
    return { bridge, subnet: subnet as string };
}

const SIZE_KEYS = ["vcpus", "memoryMiB", ...LIMIT_KEYS];

export function parseSize(raw: Raw, section: string, def: RoleSize): RoleSize {
    const vcpus = intIn(raw, "vcpus", `${section}.vcpus`, def.vcpus, 1, 64);
    const cpuPercent = intIn(raw, "cpuPercent", `${section}.cpuPercent`, def.cpuPercent, 0, 6400);
    if (cpuPercent > vcpus * 100)
        throw new ConfigError(
            `${section}.cpuPercent`,
            `(${cpuPercent} % of one core) is more than the guest's ${vcpus} vCPU(s) can use`,
            `Set it at most ${vcpus * 100}, or 0 for one full core per vCPU.`,
        );
    return {
        vcpus,
        memoryMiB: intIn(raw, "memoryMiB", `${section}.memoryMiB`, def.memoryMiB, 256, 262144),
        cpuPercent,
        diskIops: intIn(raw, "diskIops", `${section}.diskIops`, def.diskIops, 0, 10000000),
        diskMBps: intIn(raw, "diskMBps", `${section}.diskMBps`, def.diskMBps, 0, 100000),
        netMbps: intIn(raw, "netMbps", `${section}.netMbps`, def.netMbps, 0, 400000),
    };
}

function parseRole(raw: Raw, name: RoleName): RoleConfigs[RoleName] {
    const role = roleNamed(name);
    const section = `topology.${name}`;
    rejectUnknown(raw, [...SIZE_KEYS, ...role.settingKeys], section);
    return { ...parseSize(raw, section, role.defaults), ...role.parseSettings(raw, section) };
}

function parseTopology(raw: Raw): Topology {
    rejectUnknown(raw, [...ROLES, "compact"], "topology");
    const roles = Object.fromEntries(ROLES.map((r) => [r, parseRole(objectAt(raw, r, `topology.${r}`), r)])) as RoleConfigs;
    return { compact: bool(raw, "compact", "topology.compact", DEFAULT_TOPOLOGY.compact), ...roles };
}

function parseIsolation(raw: Raw): IsolationConfig {
    const d = DEFAULT_BENCHMARK.isolation;
    rejectUnknown(raw, Object.keys(d), "benchmark.isolation");
    return {
        stressors: nameList(raw.stressors, "benchmark.isolation.stressors", STRESSORS, d.stressors),
        modes: nameList(raw.modes, "benchmark.isolation.modes", ISOLATION_MODES, d.modes),
        victims: nameList(raw.victims, "benchmark.isolation.victims", VICTIMS, d.victims),
        seconds: intIn(raw, "seconds", "benchmark.isolation.seconds", d.seconds, 1, 600),
    };
}

/** A list of distinct counts from 1 to `max` (a comma-separated string, a number, or a YAML list). */
function countList(v: unknown, setting: string, max: number, fix: string): number[] {
    const list = typeof v === "string" ? v.split(",").map((s) => s.trim()) : typeof v === "number" ? [v] : v;
    if (!Array.isArray(list) || !list.length) throw new ConfigError(setting, `must be a non-empty list, got ${JSON.stringify(v)}`, fix);
    const counts = list.map(Number);
    if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > max))
        throw new ConfigError(setting, `has a count that is not an integer from 1 to ${max}: ${JSON.stringify(v)}`, fix);
    if (new Set(counts).size !== counts.length) throw new ConfigError(setting, `names a count twice: ${counts.join(", ")}`, "Name each once.");
    return counts;
}

function parseScaling(raw: Raw): ScalingConfig {
    rejectUnknown(raw, ["workers"], "benchmark.scaling");
    const fix = "Set a list of worker counts from 1 to 32, e.g. pulumi config set virt-testbed:benchmark.scaling.workers 1,2,4.";
    return { workers: countList(raw.workers ?? DEFAULT_BENCHMARK.scaling.workers, "benchmark.scaling.workers", 32, fix) };
}

function parseDensity(raw: Raw, platform: PlatformName): DensityConfig {
    const d = DEFAULT_BENCHMARK.density;
    // By default each guest is as small as its platform boots.
    const memoryMiB = Math.max(d.memoryMiB, platformNamed(platform).minGuestMemory?.mib ?? 0);
    rejectUnknown(raw, Object.keys(d), "benchmark.density");
    const fix = "Set a list of guest counts from 1 to 32, e.g. pulumi config set virt-testbed:benchmark.density.guests 1,2,4,8.";
    return {
        guests: countList(raw.guests ?? d.guests, "benchmark.density.guests", 32, fix),
        memoryMiB: intIn(raw, "memoryMiB", "benchmark.density.memoryMiB", memoryMiB, 256, 262144),
    };
}

function parseOperations(raw: Raw): OperationsConfig {
    rejectUnknown(raw, ["steps"], "benchmark.operations");
    return { steps: nameList(raw.steps, "benchmark.operations.steps", OPERATION_STEPS, DEFAULT_BENCHMARK.operations.steps) };
}

function parseEntitlement(raw: Raw): EntitlementConfig {
    const d = DEFAULT_BENCHMARK.entitlement;
    const at = (key: keyof EntitlementConfig, min: number, max: number) => intIn(raw, key, `benchmark.entitlement.${key}`, d[key], min, max);
    rejectUnknown(raw, Object.keys(d), "benchmark.entitlement");
    return {
        cpuPercent: at("cpuPercent", 0, 6400),
        diskIops: at("diskIops", 0, 10000000),
        diskMBps: at("diskMBps", 0, 100000),
        netMbps: at("netMbps", 0, 400000),
        seconds: at("seconds", 1, 600),
    };
}

function parseBenchmark(raw: Raw, platform: PlatformName): BenchmarkConfig {
    const d = DEFAULT_BENCHMARK;
    rejectUnknown(raw, Object.keys(d), "benchmark");
    return {
        suites: nameList(raw.suites, "benchmark.suites", BENCHMARK_NAMES, DEFAULT_SUITES),
        repetitions: intIn(raw, "repetitions", "benchmark.repetitions", d.repetitions, 2, 100),
        stations: intIn(raw, "stations", "benchmark.stations", d.stations, 1, 10000),
        sensorsPerStation: intIn(raw, "sensorsPerStation", "benchmark.sensorsPerStation", d.sensorsPerStation, 1, 100),
        rate: intIn(raw, "rate", "benchmark.rate", d.rate, 1, 1000000),
        durationSeconds: intIn(raw, "durationSeconds", "benchmark.durationSeconds", d.durationSeconds, 1, 3600),
        microSeconds: intIn(raw, "microSeconds", "benchmark.microSeconds", d.microSeconds, 1, 600),
        ceilingSeconds: intIn(raw, "ceilingSeconds", "benchmark.ceilingSeconds", d.ceilingSeconds, 5, 600),
        saturation: parseSaturation(objectAt(raw, "saturation", "benchmark.saturation")),
        analogObservations: intIn(raw, "analogObservations", "benchmark.analogObservations", d.analogObservations, 100, 10000000),
        isolation: parseIsolation(objectAt(raw, "isolation", "benchmark.isolation")),
        entitlement: parseEntitlement(objectAt(raw, "entitlement", "benchmark.entitlement")),
        operations: parseOperations(objectAt(raw, "operations", "benchmark.operations")),
        scaling: parseScaling(objectAt(raw, "scaling", "benchmark.scaling")),
        density: parseDensity(objectAt(raw, "density", "benchmark.density"), platform),
    };
}

function parseSaturation(raw: Raw): SaturationConfig {
    const d = DEFAULT_BENCHMARK.saturation;
    const at = (key: keyof SaturationConfig, min: number, max: number) => intIn(raw, key, `benchmark.saturation.${key}`, d[key], min, max);
    rejectUnknown(raw, Object.keys(d), "benchmark.saturation");
    const s = {
        stepSeconds: at("stepSeconds", 3, 600),
        warmupSeconds: at("warmupSeconds", 0, 600),
        startRate: at("startRate", 10, 1000000),
        maxRate: at("maxRate", 10, 1000000),
        p99BoundMs: at("p99BoundMs", 1, 600000),
    };
    if (s.maxRate < s.startRate)
        throw new ConfigError("benchmark.saturation.maxRate", `(${s.maxRate}) is below startRate (${s.startRate})`, "Raise maxRate or lower startRate.");
    return s;
}

/** The platform's own section: only on its own stack. */
function parseSettings(raw: Raw, platform: PlatformName): PlatformSettings {
    for (const p of PLATFORMS) {
        if (raw[p] !== undefined && platform !== p) {
            throw new ConfigError(p, `applies to the ${p} platform only, this stack is ${platform}`, `Remove the virt-testbed:${p} setting from this stack.`);
        }
    }
    return platformNamed(platform).parseSettings(objectAt(raw, platform, platform));
}

/** The remote host of an ssh:// stack: its address, pinned host key and login key; hostKey and hostIdentity belong to such a stack only. */
function parseRemoteHost(raw: Raw, host: HostKind): SshHost | undefined {
    if (host !== "ssh") {
        for (const k of ["hostKey", "hostIdentity"])
            if (raw[k] !== undefined)
                throw new ConfigError(k, `applies to a remote host (host: ssh://user@host) only, this stack's host is ${host}`, `Remove virt-testbed:${k}.`);
        return undefined;
    }
    const uri = parseSshUri(String(raw.host)) as { user: string; host: string; port: number };
    const hostKey = typeof raw.hostKey === "string" ? raw.hostKey.trim().split(/\s+/).slice(0, 2).join(" ") : "";
    if (!PUBLIC_KEY.test(hostKey) && !FINGERPRINT.test(hostKey))
        throw new ConfigError(
            "hostKey",
            raw.hostKey === undefined
                ? `a remote host's SSH host key must be pinned, and none is given for ${String(raw.host)}`
                : `must be a public key (ssh-ed25519 AAAA…) or its SHA256 fingerprint, got ${JSON.stringify(raw.hostKey)}`,
            "Read it on the host itself (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub gives the fingerprint) and set it: pulumi config set virt-testbed:hostKey SHA256:…",
        );
    const identity = raw.hostIdentity;
    if (identity !== undefined && (typeof identity !== "string" || !identity.startsWith("/")))
        throw new ConfigError(
            "hostIdentity",
            `must be the absolute path of a private key file, got ${JSON.stringify(identity)}`,
            "Point it at the key that logs in to the host (e.g. /root/.ssh/id_ed25519), or remove it to use ssh's own keys and agent.",
        );
    return { ...uri, hostKey, ...(typeof identity === "string" ? { identityFile: identity } : {}) };
}

/** Validates the stack's `virt-testbed:*` settings (keys without the namespace). */
export function parseConfig(raw: Raw): TestbedConfig {
    rejectUnknown(raw, ["platform", "host", "hostKey", "hostIdentity", "network", "topology", "benchmark", "overcommit", ...PLATFORMS], "");
    const overcommit = bool(raw, "overcommit", "overcommit", false);
    const platform = parsePlatform(raw.platform);
    const host = platformNamed(platform).parseHost(raw.host);
    const remote = parseRemoteHost(raw, host);
    return {
        platform,
        host,
        ...(remote ? { remote } : {}),
        settings: parseSettings(raw, platform),
        network: parseNetwork(objectAt(raw, "network", "network"), platform),
        topology: parseTopology(objectAt(raw, "topology", "topology")),
        benchmark: parseBenchmark(objectAt(raw, "benchmark", "benchmark"), platform),
        overcommit,
    };
}
