import { declareKind, resourceClass } from "../../lib/resourceKind";

/** Xen plus its own per-domain overhead on top of dom0 and the guests. */
export const XEN_OVERHEAD_MIB = 256;

export interface NestedHostSpec {
    name: string;
    /** Ownership mark (components/lib/ownership.ts) on the host's directory and tap. */
    owner: string;
    /** Static address of dom0 (on its xenbr0) in the stack's subnet. */
    cidr: string;
    bridge: string;
    rootfs: string;
    authorizedKey: string;
    privateKey: string;
    dom0MemoryMiB: number;
    /** Memory and vCPUs of all the guests the host must hold. */
    guestMemoryMiB: number;
    vcpus: number;
}

export interface NestedHostInfo {
    address: string;
    emulated: boolean;
    accel: string;
    memoryMiB: number;
    xenVersion: string;
    xenScheduler: string;
    virtCaps: string;
    /** Memory Xen reports for the whole host. */
    totalMemoryMiB: number;
    bootToReadySeconds: number;
    qemuPid: number;
    /** The user the nested QEMU runs as and its seccomp mode, read back. */
    qemuUser: string;
    qemuSeccomp: string;
    /** dom0's SSH host key, generated with its seed: every connection to dom0 pins it. */
    sshHostKey: string;
}

export const nestedXenHostKind = declareKind<NestedHostSpec, NestedHostInfo>()({
    name: "xenhost",
    type: "NestedXenHost",
    outputs: {
        address: true,
        emulated: true,
        accel: true,
        memoryMiB: true,
        xenVersion: true,
        xenScheduler: true,
        virtCaps: true,
        totalMemoryMiB: true,
        bootToReadySeconds: true,
        qemuPid: true,
        qemuUser: true,
        qemuSeccomp: true,
        sshHostKey: true,
    },
    replaceOn: "*",
    secrets: ["privateKey"],
});

/** A Xen host (Xen + dom0 under QEMU) the xen stack boots for itself; see nestedHostMachine.ts. */
export class NestedXenHost extends resourceClass(nestedXenHostKind) {}
