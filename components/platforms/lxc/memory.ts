// How the host's memory is spent on lxc containers: each container's memory cgroup on this machine.
import { shellQuote } from "../common/hostTarget";
import { perHierarchy } from "../../lib/cgroups";
import { MemoryAccounting, meminfoBytes, OVERCOMMIT_MODE } from "../memory";

export const lxcMemory: MemoryAccounting = {
    guestBytes: (name) =>
        perHierarchy({ v1: `lxc-cgroup -n ${shellQuote(name)} memory.usage_in_bytes`, v2: `lxc-cgroup -n ${shellQuote(name)} memory.current` }),
    guestHow: "the container's memory cgroup (memory.usage_in_bytes on cgroup v1, memory.current on v2: its processes' pages and the page cache charged to it)",
    freeBytes: meminfoBytes("MemAvailable"),
    totalBytes: meminfoBytes("MemTotal"),
    pageSharing: {
        cannot: "containers run on the host's kernel and share its page cache directly; there is no guest memory image for KSM to merge",
    },
    commitPolicy: `echo "a container's memory limit is a ceiling, not a reservation: nothing is taken from the host when it starts ${OVERCOMMIT_MODE}"`,
};
