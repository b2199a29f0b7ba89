// The operations suite's steps on an lxc container, for liblxc's own tools on this machine.
import { LXC_PATH } from "./lxcConfig";
import { hostLinkName } from "../common/link";
import { shellQuote } from "../common/hostTarget";
import type { GuestOperations } from "../operations";

/**
 * Prints why CRIU cannot checkpoint here, nothing when it can: Debian 12's criu 3.17 does not know
 * the vDSO layout of kernels from 6.13 on, and `criu check` says so.
 */
export const CRIU_CHECK = [
    'command -v criu >/dev/null 2>&1 || { echo "CRIU is not installed"; exit 0; }',
    'out=$(criu check 2>&1) || echo "criu $(criu --version | sed -n "s/^Version: //p") cannot run on kernel $(uname -r): $(echo "$out" | grep -m1 Error | sed "s/^Error ([^)]*): //")"',
].join("\n");

export function lxcOperations(name: string, owner: string): GuestOperations {
    const n = shellQuote(name);
    const clone = shellQuote(`${name}-clone`);
    const cloneDir = shellQuote(`${LXC_PATH}/${name}-clone`);
    const saved = shellQuote(`${LXC_PATH}/${name}/checkpoint`);
    const mark = shellQuote(owner);
    // Only a clone that carries our mark is removed; lxc-destroy also drops it from the original's list of snapshots.
    const discardClone = `if [ "$(cat ${cloneDir}/owner 2>/dev/null)" = ${mark} ]; then lxc-destroy -n ${clone} >/dev/null 2>&1; rm -rf ${cloneDir}; fi`;
    return {
        stop: `lxc-stop -n ${n} -k`,
        start: `lxc-start -n ${n} -d`,
        pause: `lxc-freeze -n ${n}`,
        resume: `lxc-unfreeze -n ${n}`,
        clone: {
            // An overlay snapshot: a new upper directory (the original's copied with rsync) over the same lower layer.
            make: `set -e\nlxc-copy -n ${n} -N ${clone} -s -B overlay\necho ${mark} > ${cloneDir}/owner`,
            discard: discardClone,
        },
        checkpoint: {
            check: CRIU_CHECK,
            save: `lxc-checkpoint -n ${n} -s -D ${saved}`,
            restore: `lxc-checkpoint -n ${n} -r -D ${saved}`,
            discard: `rm -rf ${saved}`,
        },
        migrate: {
            // CRIU's stop-and-copy to the same host: the container is checkpointed (it stops) and restored.
            check: CRIU_CHECK,
            move: `set -e\nlxc-checkpoint -n ${n} -s -D ${saved}\nlxc-checkpoint -n ${n} -r -D ${saved}\nrm -rf ${saved}`,
            how: "CRIU stop-and-copy (lxc-checkpoint, then restore) on the same host",
        },
        // A restarted container has a new host-side veth, without the mark the driver gave it.
        settle: `ip link set dev ${shellQuote(hostLinkName(name))} alias ${mark}`,
        recover: [
            `lxc-unfreeze -n ${n} 2>/dev/null || true`,
            `[ "$(lxc-info -n ${n} -s -H)" = RUNNING ] || lxc-start -n ${n} -d`,
            discardClone,
            `rm -rf ${saved}`,
        ].join("\n"),
    };
}
