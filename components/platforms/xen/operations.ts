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
    const migrateConfig = shellQuote(`${dir}/migrate.cfg`);
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
        migrate: {
            // Both domains exist while the memory is copied: the nested host must hold the domain's memory twice.
            check: [
                `need=$(xl list ${n} | awk 'NR == 2 {print $3}')`,
                `free=$(xl info | awk -F': *' '/^free_memory / {print $2}')`,
                `[ "$free" -ge "$need" ] || echo "a migration within one host holds the domain's memory twice: it needs $need MiB more, the nested host has $free MiB free"`,
            ].join("\n"),
            // xl's own live migration, to an xl migrate-receive on the same dom0 (-s '': the "host" is that command).
            // The receiving domain's vif cannot take the fixed vif name the sending one still holds: xl names it.
            // It keeps the domain's UUID: the block script lets a writable disk be shared only within one VM.
            move: [
                "set -e",
                `uuid=$(xl list -v ${n} | awk 'NR == 2 {print $7}')`,
                `{ sed -e 's|,vifname=[^,"]*||' ${config}; printf 'uuid = "%s"\\n' "$uuid"; } > ${migrateConfig}`,
                `xl migrate -s '' -C ${migrateConfig} ${n} 'xl migrate-receive' >/dev/null`,
                `rm -f ${migrateConfig}`,
            ].join("\n"),
            how: "xl migrate to an xl migrate-receive in the same dom0 (live: memory copied while the domain runs)",
        },
        settle: "true",
        recover: [
            // A migration cut short leaves the receiving domain behind; the sending one keeps its name.
            `xl destroy ${shellQuote(`${name}--incoming`)} 2>/dev/null || true`,
            `rm -f ${migrateConfig}`,
            `if ! xl list ${n} >/dev/null 2>&1; then if [ -f ${saved} ]; then xl restore ${saved} >/dev/null; else ${XL_CREATE} ${config} >/dev/null; fi; fi`,
            `xl unpause ${n} 2>/dev/null || true`,
            cleanupScript(clone),
            `rm -f ${saved}`,
        ].join("\n"),
    };
}
