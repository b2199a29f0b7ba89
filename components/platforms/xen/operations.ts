// The operations suite's steps on a Xen domU, through xl in the nested host's dom0 (all of it the
// stack's own: no marks are needed there).
import { cleanupScript, DOM0_GUESTS, XL_CREATE } from "./driver";
import { shellQuote } from "../common/hostTarget";
import type { GuestOperations } from "../operations";

export function xenOperations(name: string): GuestOperations {
    const n = shellQuote(name);
    const dir = `${DOM0_GUESTS}/${name}`;
    const clone = `${name}-clone`;
    const cloneDir = shellQuote(`${DOM0_GUESTS}/${clone}`);
    const config = shellQuote(`${dir}/domu.cfg`);
    const saved = shellQuote(`${dir}/checkpoint.save`);
    return {
        stop: `xl destroy ${n}`,
        start: `${XL_CREATE} ${config} >/dev/null`,
        pause: `xl pause ${n}`,
        resume: `xl unpause ${n}`,
        clone: {
            // A device-mapper snapshot of the stopped guest's own copy-on-write disk, and an xl config for it (not started).
            make: [
                "set -e",
                `mkdir -p ${cloneDir}`,
                `truncate -s 8G ${cloneDir}/cow.img`,
                `loop=$(losetup -f --show ${cloneDir}/cow.img)`,
                `dmsetup create ${shellQuote(clone)} --table "0 $(blockdev --getsz /dev/mapper/${name}) snapshot /dev/mapper/${name} $loop P 8"`,
                `dmsetup mknodes ${shellQuote(clone)}`,
                `sed -e 's|"${name}"|"${clone}"|' -e 's|/dev/mapper/${name},|/dev/mapper/${clone},|' -e 's|,vifname=[^,"]*||' ${config} > ${cloneDir}/domu.cfg`,
            ].join("\n"),
            discard: cleanupScript(clone),
        },
        checkpoint: {
            save: `xl save ${n} ${saved} >/dev/null`,
            restore: `xl restore ${saved} >/dev/null`,
            discard: `rm -f ${saved}`,
        },
        settle: "true",
        recover: [
            `if ! xl list ${n} >/dev/null 2>&1; then if [ -f ${saved} ]; then xl restore ${saved} >/dev/null; else ${XL_CREATE} ${config} >/dev/null; fi; fi`,
            `xl unpause ${n} 2>/dev/null || true`,
            cleanupScript(clone),
            `rm -f ${saved}`,
        ].join("\n"),
    };
}
