import { parseSshUri } from "./platforms/shared/hostTarget";

// Typed, validated stack configuration. Everything the testbed does is derived from a
// TestbedConfig; parseConfig is pure so that every rule is unit-tested, and it runs before any
// resource is registered, so bad input never provisions anything.

export type Platform = "lxc" | "kvm" | "xen";
export const PLATFORMS: readonly Platform[] = ["lxc", "kvm", "xen"];
/** Platforms whose driver is built; the others fail with a clear message. */
export const BUILT_PLATFORMS: readonly Platform[] = ["lxc", "kvm", "xen"];

export type Role = "broker" | "database" | "ingest" | "visualization";
export const ROLES: readonly Role[] = ["broker", "database", "ingest", "visualization"];

/** I/O and network caps of a guest; 0 means uncapped. */
export interface GuestLimits {
    /** Disk operations per second (reads + writes). */
    diskIops: number;
    /** Disk throughput, MB/s (reads + writes). */
    diskMBps: number;
    /** Network throughput, Mbit/s, each direction. */
    netMbps: number;
}
export const LIMIT_KEYS: readonly (keyof GuestLimits)[] = ["diskIops", "diskMBps", "netMbps"];
export const UNLIMITED: GuestLimits = { diskIops: 0, diskMBps: 0, netMbps: 0 };

export interface GuestSize extends GuestLimits {
    vcpus: number;
    memoryMiB: number;
}

export interface Topology {
    /** Several roles per guest (broker+database, ingest+visualization) so a stack fits small or emulated hosts. */
    compact: boolean;
    broker: GuestSize;
    database: GuestSize;
    ingest: GuestSize & { workers: number };
    visualization: GuestSize;
}

export interface NetworkConfig {
    /** Linux bridge the stack creates and owns (one per stack, so stacks coexist). */
    bridge: string;
    /** IPv4 /24 of the bridge: .1 is the host, guests count up from .10. */
    subnet: string;
}

export interface BenchmarkConfig {
    repetitions: number;
    stations: number;
    sensorsPerStation: number;
    /** Offered load, observations per second over all stations. */
    rate: number;
    durationSeconds: number;
    /** Length of one micro-benchmark run (sysbench, fio, iperf3). */
    microSeconds: number;
    /** Messages of the broker-only ceiling measurement (the pipeline's reference). */
    ceilingMessages: number;
}

export type HostKind = "local" | "nested";

/** xen settings: the domU type, and the memory of the nested host's dom0. */
export interface XenConfig {
    guestType: "pv" | "pvh";
    dom0MemoryMiB: number;
}

/** kvm settings: the NIC model the thesis compares, and the accelerator (auto = KVM if it really works, else TCG). */
export interface KvmConfig {
    nicModel: "virtio" | "e1000";
    accel: "auto" | "kvm" | "tcg";
}

export interface TestbedConfig {
    platform: Platform;
    /**
     * Where the platform runs: this machine (lxc, kvm), or a Xen host the stack boots for itself
     * under QEMU (xen). Remote ssh://user@host is parsed, then refused (not provisioned yet).
     */
    host: HostKind;
    /** Platform settings passed to the driver as they are (kvm: KvmConfig; lxc: none). */
    platformOptions: Record<string, string>;
    network: NetworkConfig;
    topology: Topology;
    benchmark: BenchmarkConfig;
    /** Accept guests beyond the host's cores or memory (reported in the outputs); refused otherwise. */
    overcommit: boolean;
}

export class ConfigError extends Error {
    constructor(setting: string, problem: string, fix: string) {
        super(`virt-testbed:${setting}: ${problem}. ${fix}`);
        this.name = "ConfigError";
    }
}

export const DEFAULT_TOPOLOGY: Topology = {
    compact: false,
    broker: { vcpus: 1, memoryMiB: 1024, ...UNLIMITED },
    database: { vcpus: 1, memoryMiB: 1024, ...UNLIMITED },
    ingest: { vcpus: 1, memoryMiB: 512, ...UNLIMITED, workers: 2 },
    visualization: { vcpus: 1, memoryMiB: 512, ...UNLIMITED },
};

export const DEFAULT_BENCHMARK: BenchmarkConfig = {
    repetitions: 3,
    stations: 10,
    sensorsPerStation: 4,
    rate: 400,
    durationSeconds: 15,
    microSeconds: 5,
    ceilingMessages: 50000,
};

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function objectAt(raw: Raw, key: string, setting: string): Raw {
    const v = raw[key];
    if (v === undefined) return {};
    if (!isObject(v)) throw new ConfigError(setting, `must be a map, got ${JSON.stringify(v)}`, "Write it as a YAML map.");
    return v;
}

function rejectUnknown(raw: Raw, allowed: readonly string[], section: string): void {
    for (const key of Object.keys(raw)) {
        if (!allowed.includes(key)) {
            throw new ConfigError(section ? `${section}.${key}` : key, "is not a known setting", `Known settings: ${allowed.join(", ")}.`);
        }
    }
}

function intIn(raw: Raw, key: string, setting: string, def: number, min: number, max: number): number {
    const v = raw[key] === undefined ? def : raw[key];
    const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
        throw new ConfigError(setting, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`, `Set it with: pulumi config set ${setting.includes(".") ? "--path " : ""}virt-testbed:${setting} <${min}..${max}>.`);
    }
    return n;
}

function parsePlatform(v: unknown): Platform {
    if (v === undefined) throw new ConfigError("platform", "is not set", `Set it with: pulumi config set virt-testbed:platform <${PLATFORMS.join("|")}>.`);
    if (typeof v !== "string" || !PLATFORMS.includes(v as Platform)) {
        throw new ConfigError("platform", `must be one of ${PLATFORMS.join(", ")}, got ${JSON.stringify(v)}`, "Pick one of those.");
    }
    const platform = v as Platform;
    if (!BUILT_PLATFORMS.includes(platform)) {
        throw new ConfigError("platform", `the ${platform} driver is not built yet (only ${BUILT_PLATFORMS.join(", ")} runs today)`, "Use the lxc stack for now: pulumi up --stack lxc.");
    }
    return platform;
}

function parseHost(v: unknown, platform: Platform): HostKind {
    // No Xen runs on this machine's metal: a xen stack boots its own Xen host (nested) by default.
    const def: HostKind = platform === "xen" ? "nested" : "local";
    if (v === undefined || v === def) return def;
    if (v === "local" || v === "nested") {
        throw platform === "xen"
            ? new ConfigError("host", "a xen stack needs a Xen host, and this machine's own kernel is not a dom0", "Use host: nested (the stack boots Xen under QEMU) or ssh://user@dom0.")
            : new ConfigError("host", `nested hosts are for the xen platform only, this stack is ${platform}`, "Use host: local.");
    }
    const remote = typeof v === "string" ? parseSshUri(v) : undefined;
    if (!remote) {
        throw new ConfigError("host", `must be "${def}" or ssh://user@host[:port], got ${JSON.stringify(v)}`, `Use host: ${def}, or a URI such as ssh://root@host.example.`);
    }
    // The libvirt URI and remote commands are built (platforms/hostTarget.ts); copying the base
    // image to the host and making the bridge there are not, so a remote stack cannot come up yet.
    throw new ConfigError("host", `remote ${platform} hosts (${v}) are not provisioned yet: the base image and the bridge are made on this machine only`, `Use host: ${def}.`);
}

const BRIDGE_NAME = /^[a-z][a-z0-9-]{0,14}$/;
const SUBNET_24 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/;

function isPrivate(a: number, b: number): boolean {
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

function parseNetwork(raw: Raw, platform: Platform): NetworkConfig {
    rejectUnknown(raw, ["bridge", "subnet"], "network");
    const bridge: unknown = raw.bridge === undefined ? `vtb-${platform}` : raw.bridge;
    if (typeof bridge !== "string" || !BRIDGE_NAME.test(bridge)) {
        throw new ConfigError("network.bridge", `must be a Linux interface name (a-z, 0-9, '-', at most 15 characters, starting with a letter), got ${JSON.stringify(bridge)}`, "Pick a short name such as vtb-lxc.");
    }
    const subnet: unknown = raw.subnet === undefined ? "10.231.1.0/24" : raw.subnet;
    const m = typeof subnet === "string" ? SUBNET_24.exec(subnet) : null;
    const octets = m ? m.slice(1, 4).map(Number) : [];
    // iproute2 reads a leading zero as octal (010 = 8, a public range): never accept one.
    if (m && m.slice(1, 4).some((o) => /^0\d/.test(o))) {
        throw new ConfigError("network.subnet", `has an octet with a leading zero (${subnet}), which ip reads as octal`, "Write the octets without leading zeros, e.g. 10.231.1.0/24.");
    }
    if (!m || octets.some((o) => o > 255) || !isPrivate(octets[0], octets[1])) {
        throw new ConfigError("network.subnet", `must be a private IPv4 /24 written as a.b.c.0/24, got ${JSON.stringify(subnet)}`, "Pick an unused one such as 10.231.1.0/24; the host takes .1, guests .10 upward.");
    }
    return { bridge, subnet: subnet as string };
}

const SIZE_KEYS = ["vcpus", "memoryMiB", ...LIMIT_KEYS];

function parseSize(raw: Raw, role: Role, def: GuestSize): GuestSize {
    return {
        vcpus: intIn(raw, "vcpus", `topology.${role}.vcpus`, def.vcpus, 1, 64),
        memoryMiB: intIn(raw, "memoryMiB", `topology.${role}.memoryMiB`, def.memoryMiB, 256, 262144),
        diskIops: intIn(raw, "diskIops", `topology.${role}.diskIops`, def.diskIops, 0, 10000000),
        diskMBps: intIn(raw, "diskMBps", `topology.${role}.diskMBps`, def.diskMBps, 0, 100000),
        netMbps: intIn(raw, "netMbps", `topology.${role}.netMbps`, def.netMbps, 0, 400000),
    };
}

function parseTopology(raw: Raw): Topology {
    rejectUnknown(raw, [...ROLES, "compact"], "topology");
    const compact = raw.compact === undefined ? DEFAULT_TOPOLOGY.compact : raw.compact;
    if (typeof compact !== "boolean") {
        throw new ConfigError("topology.compact", `must be true or false, got ${JSON.stringify(compact)}`, "Set it with: pulumi config set --path virt-testbed:topology.compact true.");
    }
    const section = (role: Role) => objectAt(raw, role, `topology.${role}`);
    for (const role of ROLES) {
        rejectUnknown(section(role), [...SIZE_KEYS, ...(role === "ingest" ? ["workers"] : [])], `topology.${role}`);
    }
    return {
        compact,
        broker: parseSize(section("broker"), "broker", DEFAULT_TOPOLOGY.broker),
        database: parseSize(section("database"), "database", DEFAULT_TOPOLOGY.database),
        ingest: {
            ...parseSize(section("ingest"), "ingest", DEFAULT_TOPOLOGY.ingest),
            workers: intIn(section("ingest"), "workers", "topology.ingest.workers", DEFAULT_TOPOLOGY.ingest.workers, 1, 32),
        },
        visualization: parseSize(section("visualization"), "visualization", DEFAULT_TOPOLOGY.visualization),
    };
}

function parseBenchmark(raw: Raw): BenchmarkConfig {
    const d = DEFAULT_BENCHMARK;
    rejectUnknown(raw, Object.keys(d), "benchmark");
    return {
        repetitions: intIn(raw, "repetitions", "benchmark.repetitions", d.repetitions, 2, 100),
        stations: intIn(raw, "stations", "benchmark.stations", d.stations, 1, 10000),
        sensorsPerStation: intIn(raw, "sensorsPerStation", "benchmark.sensorsPerStation", d.sensorsPerStation, 1, 100),
        rate: intIn(raw, "rate", "benchmark.rate", d.rate, 1, 1000000),
        durationSeconds: intIn(raw, "durationSeconds", "benchmark.durationSeconds", d.durationSeconds, 1, 3600),
        microSeconds: intIn(raw, "microSeconds", "benchmark.microSeconds", d.microSeconds, 1, 600),
        ceilingMessages: intIn(raw, "ceilingMessages", "benchmark.ceilingMessages", d.ceilingMessages, 1000, 10000000),
    };
}

function oneOf<T extends string>(raw: Raw, key: string, setting: string, allowed: readonly T[]): T {
    const v = raw[key] === undefined ? allowed[0] : raw[key];
    if (typeof v !== "string" || !allowed.includes(v as T)) {
        throw new ConfigError(setting, `must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`, `Set it with: pulumi config set --path virt-testbed:${setting} ${allowed[0]}.`);
    }
    return v as T;
}

function parseKvm(raw: Raw): KvmConfig {
    rejectUnknown(raw, ["nicModel", "accel"], "kvm");
    return { nicModel: oneOf(raw, "nicModel", "kvm.nicModel", ["virtio", "e1000"]), accel: oneOf(raw, "accel", "kvm.accel", ["auto", "kvm", "tcg"]) };
}

function parseXen(raw: Raw): XenConfig {
    rejectUnknown(raw, ["guestType", "dom0MemoryMiB"], "xen");
    if (raw.guestType === "hvm") {
        throw new ConfigError("xen.guestType", "hvm needs Xen's device model (qemu-system-xen), which the base image does not carry", "Use pv (para-virtualized, the default) or pvh.");
    }
    return {
        guestType: oneOf(raw, "guestType", "xen.guestType", ["pv", "pvh"]),
        dom0MemoryMiB: intIn(raw, "dom0MemoryMiB", "xen.dom0MemoryMiB", 1024, 512, 16384),
    };
}

/** Settings a platform's driver gets as they are (strings, as GuestSpec.options carries them). */
function platformOptions(raw: Raw, platform: Platform): Record<string, string> {
    for (const p of ["kvm", "xen"] as const) {
        if (raw[p] !== undefined && platform !== p) {
            throw new ConfigError(p, `applies to the ${p} platform only, this stack is ${platform}`, `Remove the virt-testbed:${p} setting from this stack.`);
        }
    }
    const options = platform === "kvm" ? parseKvm(objectAt(raw, "kvm", "kvm")) : platform === "xen" ? parseXen(objectAt(raw, "xen", "xen")) : {};
    return Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)]));
}

/** Validates the stack's `virt-testbed:*` settings (keys without the namespace). */
export function parseConfig(raw: Raw): TestbedConfig {
    rejectUnknown(raw, ["platform", "host", "network", "topology", "benchmark", "kvm", "xen", "overcommit"], "");
    const overcommit = raw.overcommit === undefined ? false : raw.overcommit;
    if (typeof overcommit !== "boolean") {
        throw new ConfigError("overcommit", `must be true or false, got ${JSON.stringify(overcommit)}`, "Set it with: pulumi config set virt-testbed:overcommit true.");
    }
    const platform = parsePlatform(raw.platform);
    return {
        platform,
        host: parseHost(raw.host, platform),
        platformOptions: platformOptions(raw, platform),
        network: parseNetwork(objectAt(raw, "network", "network"), platform),
        topology: parseTopology(objectAt(raw, "topology", "topology")),
        benchmark: parseBenchmark(objectAt(raw, "benchmark", "benchmark")),
        overcommit,
    };
}
