// How the nested host's memory is spent on Xen domUs: what the hypervisor gave each domain, read in dom0.
import { shellQuote } from "../common/hostTarget";
import type { MemoryAccounting } from "../memory";

const MIB = 1048576;
const xlInfo = (field: string) => `xl info | awk -F': *' '/^${field} / {printf "%.0f\\n", $2 * ${MIB}}'`;

export const xenMemory: MemoryAccounting = {
    guestBytes: (name) => `xl list ${shellQuote(name)} | awk 'NR == 2 {printf "%.0f\\n", $3 * ${MIB}}'`,
    guestHow: "the memory the hypervisor gave the domain (xl list): all of it, from its creation",
    freeBytes: xlInfo("free_memory"),
    totalBytes: xlInfo("total_memory"),
    pageSharing: {
        cannot: "Xen shares pages between domains only for HVM guests on hardware-assisted paging, with a tool that finds them; these domUs are PV",
    },
    commitPolicy: `echo "Xen reserves a domain's whole memory when xl creates it: a domain that does not fit in the free memory is refused (free $(xl info | awk -F': *' '/^free_memory / {print $2}') MiB of $(xl info | awk -F': *' '/^total_memory / {print $2}') MiB)"`,
};
