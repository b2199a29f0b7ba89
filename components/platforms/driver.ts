// The child-process side of a platform (docs/architecture.md, "Platforms"): the driver that
// creates, inspects and deletes one guest. Nothing above components/platforms/ knows which
// platform runs; it passes the platform's own settings and its host through as typed values.

/** CPU, I/O and network caps of a guest; 0 means uncapped. */
export interface GuestLimits {
    /** CPU share in % of one host core, below the guest's vCPUs × 100 (0 = one full core per vCPU). */
    cpuPercent: number;
    /** Disk operations per second (reads + writes). */
    diskIops: number;
    /** Disk throughput, MB/s (reads + writes). */
    diskMBps: number;
    /** Network throughput, Mbit/s, each direction. */
    netMbps: number;
}
export const LIMIT_KEYS: readonly (keyof GuestLimits)[] = ["cpuPercent", "diskIops", "diskMBps", "netMbps"];
export const UNLIMITED: GuestLimits = { cpuPercent: 0, diskIops: 0, diskMBps: 0, netMbps: 0 };

/** The CPU a guest may use, in % of one host core: its cap, or one full core per vCPU. */
export const cpuShare = (limits: GuestLimits, vcpus: number) => (limits.cpuPercent > 0 ? Math.min(limits.cpuPercent, vcpus * 100) : vcpus * 100);

/** How a platform's tools reach its host: this machine, or a host (a Xen dom0) as root over SSH. */
export type HostAccess = { kind: "local" } | { kind: "ssh"; address: string; privateKey: string; hostKey: string; emulated: boolean; version: string };

export interface GuestSpec<S = object> {
    /** Unique on the host: vtb-<stack>-<guest>. */
    name: string;
    role: string;
    vcpus: number;
    memoryMiB: number;
    /** Disk and network caps (0 = uncapped); what was applied is read back into details. */
    limits: GuestLimits;
    /** Host cores (a cpuset list, e.g. "1" or "0-2") the guest's vCPUs may run on; absent = any. */
    cpuset?: string;
    /** Static IPv4 address with prefix on the stack's bridge, e.g. 10.231.1.10/24. */
    cidr: string;
    bridge: string;
    /** Base image the guest is cloned from (copy-on-write). */
    rootfs: string;
    /** Ownership mark of the checkout and stack (lib/ownership.ts): create refuses a guest of this name that is not ours. */
    owner: string;
    /** OpenSSH public key that may log in as root. */
    authorizedKey: string;
    /** The platform's own settings, validated by its config rules (platforms/<name>/index.ts). */
    settings: S;
    /** Where the platform runs the guest. */
    host: HostAccess;
}

/** A cap as applied: its value, or why it could not be applied (never pretended). */
export type Applied = number | string;

/** What every platform reads back from the running guest (the entitlement the platform accepted). */
export interface AppliedLimits {
    appliedMemoryMiB: number;
    appliedVcpus?: number;
    /** The CPU share the platform enforces, in % of one host core. */
    appliedCpuPercent: Applied;
    /** The host cores the guest may run on, when it was pinned. */
    appliedCpuset?: Applied;
    appliedDiskReadIops: Applied;
    appliedDiskWriteIops: Applied;
    appliedDiskReadMBps: Applied;
    appliedDiskWriteMBps: Applied;
    appliedNetInMbps: Applied;
    appliedNetOutMbps: Applied;
}

/** What a guest reports in the outputs: the read-back, the platform's version, and its own facts. */
export type GuestDetails = AppliedLimits & { platformVersion: string } & Record<string, string | number | boolean>;

/** What a created guest reports. */
export interface GuestInfo {
    address: string;
    platform: string;
    emulated: boolean;
    provisionSeconds: number;
    bootToReadySeconds: number;
    /** The SSH host key the testbed generated for the guest (public part): every connection pins it. */
    sshHostKey: string;
    details: GuestDetails;
}

export type GuestStatus = "running" | "stopped" | "gone";

export interface PlatformDriver<S = object> {
    readonly platform: string;
    /** Creates and boots the guest; on failure the caller deletes whatever it left. */
    create(spec: GuestSpec<S>): Promise<GuestInfo>;
    /**
     * Whether our guest runs, is stopped, or is gone (absent, or the name now holds something not
     * ours). Throws when the platform cannot be asked (a timeout is no answer).
     */
    status(name: string, spec: GuestSpec<S>): Promise<GuestStatus>;
    /** Removes the guest and everything it owns on the host, only if it carries our mark; a no-op if it is gone. */
    delete(name: string, spec: GuestSpec<S>): Promise<void>;
    /** Whether a guest (or host) of this platform on this machine still uses a cached base image (the cache never prunes it then). */
    usesImage(imageDir: string): Promise<boolean>;
    /** Removes what the platform derived from a base image the cache prunes. */
    forgetImage(imageHash: string): void;
}
