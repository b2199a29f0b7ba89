// How the host's memory is spent on kvm guests: each guest's QEMU process on this machine, and
// what KSM merges (libvirt leaves QEMU's guest memory mergeable unless a domain says otherwise).
import { MemoryAccounting, meminfoBytes, OVERCOMMIT_MODE } from "../memory";

const KSM = "/sys/kernel/mm/ksm";

export const kvmMemory = (qemuPid: (name: string) => string): MemoryAccounting => ({
    guestBytes: (name) => `awk '/^Pss:/ {printf "%.0f\\n", $2 * 1024}' "/proc/$(${qemuPid(name)})/smaps_rollup"`,
    guestHow: "the proportional set size of the guest's QEMU process (smaps_rollup Pss: pages shared with other processes counted in part)",
    freeBytes: meminfoBytes("MemAvailable"),
    totalBytes: meminfoBytes("MemTotal"),
    pageSharing: {
        // KSM is a host-wide setting: the testbed reads it and never switches it on.
        check: `[ -r ${KSM}/run ] || { echo "this kernel has no KSM"; exit 0; }; [ "$(cat ${KSM}/run)" = 1 ] || echo "KSM is off on this host (${KSM}/run = $(cat ${KSM}/run)); the testbed does not change host-wide settings"`,
        script: `echo $(( $(cat ${KSM}/pages_sharing) * $(getconf PAGESIZE) ))`,
    },
    commitPolicy: `echo "QEMU takes a guest's memory from the host as the guest first touches it: nothing is reserved when it starts ${OVERCOMMIT_MODE}"`,
});
