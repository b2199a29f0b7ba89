import { ConfigError, oneOf, Raw, rejectUnknown } from "../../lib/settings";
import { localHost, Platform } from "../platform";
import { parseHostSetting } from "../common/hostSetting";
import { QEMU_OVERHEAD_MIB } from "../common/qemu";
import { libvirtUri } from "../common/hostTarget";
import { kvmOperations } from "./operations";
import { kvmMemory } from "./memory";

/** kvm settings: the NIC model (virtio para-virtualized, e1000 emulated), and the accelerator (auto = KVM if it really works, else TCG). */
export interface KvmSettings {
    nicModel: "virtio" | "e1000";
    accel: "auto" | "kvm" | "tcg";
}

/** Prints the PID of the QEMU that runs a guest. */
const qemuPid = (name: string) => `cat '/run/libvirt/qemu/${name}.pid'`;

/** Full virtualization through libvirt's QEMU driver on this machine. */
export const kvmPlatform: Platform<"kvm", KvmSettings> = {
    name: "kvm",
    parseSettings(raw: Raw): KvmSettings {
        rejectUnknown(raw, ["nicModel", "accel"], "kvm");
        return { nicModel: oneOf(raw, "nicModel", "kvm.nicModel", ["virtio", "e1000"]), accel: oneOf(raw, "accel", "kvm.accel", ["auto", "kvm", "tcg"]) };
    },
    parseHost: (value) =>
        parseHostSetting(
            value,
            "local",
            ["local", "ssh"],
            () =>
                new ConfigError(
                    "host",
                    "nested hosts are for the xen platform only, this stack is kvm",
                    "Use host: local, or ssh://user@host for a remote one.",
                ),
        ),
    // A remote KVM host needs libvirt's client there; this machine's set-up installs libvirt itself.
    preflight(_settings, host) {
        if (host.kind === "ssh" && !host.profile.tools.virsh)
            throw new ConfigError(
                "host",
                `${host.where} has no virsh (checked with command -v)`,
                "Install libvirt there (Debian: apt-get install libvirt-daemon-system libvirt-clients).",
            );
    },
    overheadMiB: (_settings, guests) => QEMU_OVERHEAD_MIB * guests,
    // The vCPU threads' time, in ns: what the <cputune> quota governs (QEMU's I/O threads are apart).
    cpuSecondsProbe: (name) =>
        `virsh -c '${libvirtUri({ kind: "local" })}' domstats '${name}' --vcpu | awk -F= '/vcpu\\.[0-9]+\\.time=/ { t += $2 } END { printf "%.3f\\n", t / 1e9 }'`,
    guestProcessProbe: qemuPid,
    operations: kvmOperations,
    memory: kvmMemory(qemuPid),
    host: () => localHost(),
};
