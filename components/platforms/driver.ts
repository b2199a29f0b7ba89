import { GuestLimits } from "../config";

// The one interface every platform implements. Nothing above components/platforms/ knows
// which platform it runs on.

export interface GuestSpec {
    /** Unique on the host: vtb-<stack>-<role>. */
    name: string;
    role: string;
    vcpus: number;
    memoryMiB: number;
    /** Disk and network caps (0 = uncapped); what was applied is read back into details. */
    limits: GuestLimits;
    /** Static IPv4 address with prefix on the stack's bridge, e.g. 10.231.1.10/24. */
    cidr: string;
    bridge: string;
    /** Base image the guest is cloned from (copy-on-write). */
    rootfs: string;
    /** Ownership mark of the checkout and stack (components/ownership.ts): create refuses a guest of this name that is not ours. */
    owner: string;
    /** OpenSSH public key that may log in as root. */
    authorizedKey: string;
    /** Platform settings from the stack config (kvm: nicModel, accel; xen: guestType, host facts); empty for lxc. */
    options: Record<string, string>;
    /** The Xen host (dom0) that runs the guest, reached as root over SSH; absent for local platforms. */
    hostAddress?: string;
    hostPrivateKey?: string;
}

/** What a created guest reports; `details` carries platform facts for the outputs. */
export interface GuestInfo {
    address: string;
    platform: string;
    emulated: boolean;
    provisionSeconds: number;
    bootToReadySeconds: number;
    details: Record<string, string | number | boolean>;
}

export type GuestStatus = "running" | "stopped" | "gone";

export interface PlatformDriver {
    readonly platform: string;
    /** Creates and boots the guest; on failure the caller deletes whatever it left. */
    create(spec: GuestSpec): Promise<GuestInfo>;
    /**
     * Whether our guest runs, is stopped, or is gone (absent, or the name now holds something not
     * ours). Throws when the platform cannot be asked (a timeout is no answer).
     */
    status(name: string, spec: GuestSpec): Promise<GuestStatus>;
    /** Removes the guest and everything it owns on the host, only if it carries our mark; a no-op if it is gone. */
    delete(name: string, spec: GuestSpec): Promise<void>;
}
