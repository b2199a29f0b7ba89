import * as pulumi from "@pulumi/pulumi";
import { ConfigError, intIn, oneOf, Raw, rejectUnknown } from "../../lib/settings";
import { GuestSizing, Platform } from "../platform";
import { notBuiltYet, parseHostSetting } from "../common/hostSetting";
import { dom0Evidence, isDom0 } from "../common/hostProfile";
import { QEMU_OVERHEAD_MIB } from "../common/qemu";
import { NestedHostInfo, NestedXenHost, XEN_OVERHEAD_MIB } from "./nestedHost";
import { xenOperations } from "./operations";
import { xenMemory } from "./memory";

/** xen settings: the domU type, and the memory of the nested host's dom0. */
export interface XenSettings {
    guestType: "pv" | "pvh";
    dom0MemoryMiB: number;
}

/** What the outputs say of the Xen host the stack booted. */
export type NestedXenHostFacts = { kind: "nested"; name: string } & Pick<
    NestedHostInfo,
    "address" | "emulated" | "accel" | "memoryMiB" | "xenVersion" | "xenScheduler" | "virtCaps" | "qemuUser" | "qemuSeccomp"
>;

/** The nested host's vCPUs: two, or the largest guest's. */
const nestedHostVcpus = (guests: GuestSizing[]) => Math.max(2, ...guests.map((g) => g.vcpus));

/**
 * Para-virtualized domUs on Xen. No Xen runs on this machine's metal, so the stack boots its own
 * Xen host (Xen + dom0 under QEMU) and drives its domUs in dom0 over SSH.
 */
export const xenPlatform: Platform<"xen", XenSettings, NestedXenHostFacts> = {
    name: "xen",
    parseSettings(raw: Raw): XenSettings {
        rejectUnknown(raw, ["guestType", "dom0MemoryMiB"], "xen");
        if (raw.guestType === "hvm") {
            throw new ConfigError(
                "xen.guestType",
                "hvm needs Xen's device model (qemu-system-xen), which the base image does not carry",
                "Use pv (para-virtualized, the default) or pvh.",
            );
        }
        return {
            guestType: oneOf(raw, "guestType", "xen.guestType", ["pv", "pvh"]),
            dom0MemoryMiB: intIn(raw, "dom0MemoryMiB", "xen.dom0MemoryMiB", 1024, 512, 16384),
        };
    },
    // nested (the default): the stack boots its own Xen under QEMU; local: this machine is a dom0; ssh: a remote dom0.
    parseHost: (value) => parseHostSetting(value, "nested", ["nested", "local", "ssh"]),
    // A Xen host other than the nested one must be a dom0 with the toolstack. Driving domUs there is not built yet.
    preflight(_settings, host) {
        if (host.kind === "nested") return;
        if (!isDom0(host.profile))
            throw new ConfigError(
                "host",
                `${host.where}'s kernel is not a Xen dom0: ${dom0Evidence(host.profile)}`,
                host.kind === "local"
                    ? "Use host: nested (the stack boots Xen under QEMU), or ssh://root@<dom0> for a Xen host elsewhere."
                    : "Name the dom0 of a Xen host, or use host: nested.",
            );
        if (!host.profile.tools.xl)
            throw new ConfigError(
                "host",
                `${host.where} is a dom0 but has no xl (checked with command -v)`,
                "Install Xen's toolstack there (Debian: apt-get install xen-utils).",
            );
        throw notBuiltYet("xen", host);
    },
    // The nested host: dom0, Xen's own share and its QEMU beside the guests.
    overheadMiB: (settings) => settings.dom0MemoryMiB + XEN_OVERHEAD_MIB + QEMU_OVERHEAD_MIB,
    // Run in dom0: the domain's CPU time as Xen accounts it (xl list, 0.1 s resolution).
    hostCores: (_machine, guests) => nestedHostVcpus(guests),
    cpuSecondsProbe: (name) => `xl list '${name}' | awk 'NR == 2 { print $6 }'`,
    // A PV domain is run by the hypervisor: no dom0 process to read (its disk and network are kernel backends).
    guestProcessProbe: () => "true",
    // Measured: a 256 MiB PV domU had 74 MiB left after boot reservations and ran out of memory unpacking the initramfs.
    minGuestMemory: {
        mib: 512,
        why: "a PV domU unpacks the base image's initramfs in its own memory at boot, and with less its kernel runs out of memory and panics",
    },
    operations: (name) => xenOperations(name),
    memory: xenMemory,
    host(args, opts) {
        const name = `vtb-${args.stack}-xenhost`;
        const host = new NestedXenHost(
            "xen-host",
            {
                name,
                owner: args.owner,
                cidr: args.cidr,
                bridge: args.bridge,
                rootfs: args.rootfs,
                authorizedKey: args.authorizedKey,
                privateKey: args.privateKey,
                dom0MemoryMiB: args.settings.dom0MemoryMiB,
                guestMemoryMiB: args.guests.reduce((sum, g) => sum + g.memoryMiB, args.spareMemoryMiB),
                vcpus: nestedHostVcpus(args.guests),
            },
            opts,
        );
        return {
            access: pulumi
                .all([host.address, host.privateKey, host.sshHostKey, host.emulated, host.xenVersion])
                .apply(([address, privateKey, hostKey, emulated, version]) => ({
                    kind: "ssh" as const,
                    address,
                    privateKey,
                    hostKey,
                    emulated,
                    version: `Xen ${version}`,
                })),
            facts: pulumi
                .all([
                    pulumi.all([host.address, host.emulated, host.accel, host.memoryMiB, host.xenVersion, host.xenScheduler, host.virtCaps]),
                    host.qemuUser,
                    host.qemuSeccomp,
                ])
                .apply(([[address, emulated, accel, memoryMiB, xenVersion, xenScheduler, virtCaps], qemuUser, qemuSeccomp]) => ({
                    kind: "nested" as const,
                    name,
                    address,
                    emulated,
                    accel,
                    memoryMiB,
                    xenVersion,
                    xenScheduler,
                    virtCaps,
                    qemuUser,
                    qemuSeccomp,
                })),
            bootToReadySeconds: host.bootToReadySeconds,
            dependsOn: [host],
        };
    },
};
