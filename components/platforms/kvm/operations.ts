// The operations suite's steps on a kvm domain, through virsh against the testbed's libvirtd.
import { GUESTS } from "./driver";
import { LIBVIRT_URI, MIGRATION_PEER } from "./libvirtd";
import { hostLinkName } from "../common/link";
import { shellQuote } from "../common/hostTarget";
import type { GuestOperations } from "../operations";

export function kvmOperations(name: string, owner: string): GuestOperations {
    const virsh = `virsh -q -c ${shellQuote(LIBVIRT_URI)}`;
    const n = shellQuote(name);
    const dir = `${GUESTS}/${name}`;
    const clone = `${name}-clone`;
    const cloneDir = shellQuote(`${GUESTS}/${clone}`);
    const saved = shellQuote(`${dir}/checkpoint.save`);
    const mark = shellQuote(owner);
    const tap = shellQuote(hostLinkName(name));
    const peer = (action: string, arg = "") => `bash ${shellQuote(MIGRATION_PEER)} ${action} ${n}${arg && ` ${arg}`}`;
    // The clone's domain carries our mark as its description, as every domain of ours does; only then is it removed.
    const discardClone = [
        `[ "$(${virsh} desc ${shellQuote(clone)} 2>/dev/null)" = ${mark} ] && ${virsh} undefine ${shellQuote(clone)} >/dev/null`,
        `[ "$(cat ${cloneDir}/owner 2>/dev/null)" = ${mark} ] && rm -rf ${cloneDir}`,
        "true",
    ].join("\n");
    return {
        stop: `${virsh} destroy ${n} >/dev/null`,
        start: `${virsh} start ${n} >/dev/null`,
        pause: `${virsh} suspend ${n} >/dev/null`,
        resume: `${virsh} resume ${n} >/dev/null`,
        clone: {
            // A qcow2 overlay on the stopped guest's disk and a domain defined on it: a new name, no UUID or MAC (libvirt makes new ones).
            make: [
                "set -e",
                // mkdir refuses a directory of that name: ours was discarded before, another's is never taken over.
                `mkdir ${cloneDir}`,
                `echo ${mark} > ${cloneDir}/owner`,
                `qemu-img create -q -f qcow2 -F qcow2 -b ${shellQuote(`${dir}/disk.qcow2`)} ${cloneDir}/disk.qcow2`,
                `${virsh} dumpxml --inactive ${n} | sed -e 's|<name>${name}</name>|<name>${clone}</name>|' -e '/<uuid>/d' -e '/<mac address=/d' \\`,
                `  -e 's|${dir}/disk.qcow2|${GUESTS}/${clone}/disk.qcow2|' -e 's|${dir}/console.log|${GUESTS}/${clone}/console.log|' \\`,
                `  -e "s|<target dev='${hostLinkName(name)}'/>||" > ${cloneDir}/domain.xml`,
                `${virsh} define ${cloneDir}/domain.xml >/dev/null`,
            ].join("\n"),
            discard: discardClone,
        },
        checkpoint: {
            save: `${virsh} save ${n} ${saved} >/dev/null`,
            restore: `${virsh} restore ${saved} >/dev/null`,
            discard: `rm -f ${saved}`,
        },
        migrate: {
            ready: peer("start"),
            move: peer("move", tap),
            back: peer("back", tap),
            how: "virsh migrate --live to a second libvirtd on the same host (its own host UUID and state directories), memory copied over loopback while the domain runs, disks shared in place",
        },
        // A restarted domain has a new tap, without the mark the driver gave it.
        settle: `ip link set dev ${tap} alias ${mark}`,
        recover: [
            // A migration cut short: the domain comes back from the peer, or is destroyed there.
            `${peer("back", tap)} || ${peer("evict", mark)}`,
            `state=$(${virsh} domstate ${n})`,
            `[ "$state" = paused ] && ${virsh} resume ${n} >/dev/null`,
            `if [ "$state" = "shut off" ]; then if [ -f ${saved} ]; then ${virsh} restore ${saved} >/dev/null; else ${virsh} start ${n} >/dev/null; fi; fi`,
            discardClone,
            `rm -f ${saved}`,
        ].join("\n"),
    };
}
