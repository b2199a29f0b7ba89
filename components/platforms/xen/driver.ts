import * as fs from "fs";
import * as path from "path";
import { cpuShare, GuestInfo, GuestSpec, GuestStatus, PlatformDriver } from "../driver";
import type { XenSettings } from ".";
import { hostLinkName, macAddress } from "../common/link";
import { Applied, appliedLimits, consoleQdisc, parseTbfMbps, tbfArgs } from "../common/limits";

import { seedDisk } from "../common/seed";
import { forgetVmImage } from "../common/vmDisk";
import { nestedHostsUse } from "./nestedHostMachine";
import { XenGuestType, xlConfig } from "./xlConfig";
import { parseXlList, parseXlSchedCredit, parseXlVcpuAffinity } from "./xlReadBack";
import { shellQuote } from "../common/hostTarget";
import { privateTempDir, removeTempDir } from "../../lib/exec";
import { SshTarget, sshScript, sshUpload, tcpProbe } from "../../lib/ssh";
import { waitForGuestSsh } from "../common/bootWait";

// Para-virtualized guests (domUs) on a Xen host, driven with xl over SSH in its dom0: the nested
// host the stack booted (nestedHostMachine.ts) or, later, a real dom0.

/** Where dom0 keeps each domU's disk, seed and xl config. */
export const DOM0_GUESTS = "/var/lib/vtb/guests";
/** dom0's view of the base image, attached read-only by the nested host (its third disk). */
const DOM0_BASE_DISK = "/dev/vdc";
/** Boot to sshd of a PV domU on an emulated host: about 30 s measured, minutes when guests boot together. */
const BOOT_TIMEOUT_S = 900;
/** Xen's block backend has no throttle: a disk cap is recorded as not applied, never pretended. */
const diskCap = (requested: number): Applied => (requested > 0 ? "not applied: Xen's block backend has no throttle" : 0);

function dom0Of(spec: GuestSpec<XenSettings>): SshTarget {
    if (spec.host.kind !== "ssh") throw new Error(`xen guest ${spec.name}: no Xen host (dom0) to run it in`);
    return { address: spec.host.address, privateKey: spec.host.privateKey, hostKey: spec.host.hostKey };
}

/** Removes the domain, its snapshot device, loop device and files in dom0; safe when they are gone. */
export function cleanupScript(name: string): string {
    const n = shellQuote(name);
    const dir = shellQuote(`${DOM0_GUESTS}/${name}`);
    return [
        `xl list ${n} >/dev/null 2>&1 && xl destroy ${n}`,
        `dmsetup info ${n} >/dev/null 2>&1 && dmsetup remove ${n}`,
        `[ -f ${dir}/cow.img ] && losetup -j ${dir}/cow.img | cut -d: -f1 | xargs -r -n1 losetup -d`,
        `rm -rf ${dir}`,
        "true",
    ].join("\n");
}

/** A copy-on-write root disk: a device-mapper snapshot of the base with a sparse file for the writes. */
export function diskScript(name: string): string {
    const n = shellQuote(name);
    const dir = shellQuote(`${DOM0_GUESTS}/${name}`);
    return [
        "set -e",
        `mkdir -p ${dir}`,
        `truncate -s 8G ${dir}/cow.img`,
        `loop=$(losetup -f --show ${dir}/cow.img)`,
        `dmsetup create ${n} --table "0 $(blockdev --getsz ${DOM0_BASE_DISK}) snapshot ${DOM0_BASE_DISK} $loop P 8"`,
        // dom0 runs no udev: make the /dev/mapper node ourselves.
        `dmsetup mknodes ${n}`,
    ].join("\n");
}

/**
 * xl create, one at a time: under nested emulation, block hotplug scripts run together miss libxl's
 * timeout. -o: xl's monitoring daemon, which outlives the create, must not inherit (and keep) the lock.
 */
export const XL_CREATE = "flock -o /run/vtb-xl-create.lock xl create";

/** Starts the domU, caps traffic into it on its vif, and prints what Xen and tc then hold. */
export function startScript(name: string, vif: string, netMbps: number): string {
    const n = shellQuote(name);
    return [
        "set -e",
        `${XL_CREATE} ${shellQuote(`${DOM0_GUESTS}/${name}/domu.cfg`)} >/dev/null`,
        ...(netMbps > 0 ? [`tc ${tbfArgs(vif, netMbps).join(" ")}`] : []),
        "echo '--- list'",
        `xl list ${n}`,
        "echo '--- sched'",
        `xl sched-credit -d ${n}`,
        "echo '--- vif'",
        `tc qdisc show dev ${vif}`,
        "echo '--- vcpus'",
        `xl vcpu-list ${n}`,
    ].join("\n");
}

/** The section of a script's output after `--- <name>`. */
const section = (out: string, name: string) => out.split(`--- ${name}\n`)[1]?.split("\n--- ")[0] ?? "";

async function createDomU(spec: GuestSpec<XenSettings>): Promise<GuestInfo> {
    const start = Date.now();
    const dom0 = dom0Of(spec);
    const type: XenGuestType = spec.settings.guestType;
    await sshScript(dom0, cleanupScript(spec.name), { timeoutMs: 120_000 }); // whatever an interrupted up left
    await sshScript(dom0, diskScript(spec.name), { timeoutMs: 120_000 });

    // Seed and xl config are made here and streamed to dom0 (the same base image is its root).
    const local = privateTempDir("vtb-domu-");
    const vif = hostLinkName(spec.name);
    const dir = `${DOM0_GUESTS}/${spec.name}`;
    let sshHostKey = "";
    try {
        sshHostKey = (await seedDisk(local, spec)).sshHostKey;
        const boot = (prefix: string) =>
            `/boot/${fs
                .readdirSync(path.join(spec.rootfs, "boot"))
                .filter((f) => f.startsWith(prefix))
                .sort()
                .pop()}`;
        fs.writeFileSync(
            path.join(local, "domu.cfg"),
            xlConfig({
                name: spec.name,
                type,
                vcpus: spec.vcpus,
                cpuPercent: cpuShare(spec.limits, spec.vcpus),
                ...(spec.cpuset ? { cpuset: spec.cpuset } : {}),
                memoryMiB: spec.memoryMiB,
                kernel: boot("vmlinuz-"),
                ramdisk: boot("initrd.img-"),
                disk: `/dev/mapper/${spec.name}`,
                seed: `${dir}/seed.img`,
                bridge: "xenbr0",
                mac: macAddress(spec.name),
                vifName: vif,
            }),
        );
        await sshUpload(dom0, local, dir);
    } finally {
        removeTempDir(local);
    }
    const provisionSeconds = (Date.now() - start) / 1000;

    const bootStart = Date.now();
    const out = await sshScript(dom0, startScript(spec.name, vif, spec.limits.netMbps), { timeoutMs: 600_000 });
    const address = spec.cidr.split("/")[0];
    const consoleLog = () => sshScript(dom0, `cat ${shellQuote(`/var/log/xen/console/guest-${spec.name}.log`)} 2>/dev/null || true`);
    await waitForGuestSsh(address, BOOT_TIMEOUT_S, consoleLog);
    const bootToReadySeconds = (Date.now() - bootStart) / 1000;
    const console = await consoleLog();
    const qdisc = consoleQdisc(console);
    const list = parseXlList(section(out, "list"), spec.name);
    const sched = parseXlSchedCredit(section(out, "sched"), spec.name);
    return {
        address,
        platform: "xen",
        emulated: spec.host.kind === "ssh" ? spec.host.emulated : true,
        provisionSeconds,
        bootToReadySeconds,
        sshHostKey,
        details: {
            domain: spec.name,
            guestType: type,
            xenHost: dom0.address,
            vif,
            baseRootfs: spec.rootfs,
            platformVersion: spec.host.kind === "ssh" ? spec.host.version : "xen ?",
            appliedVcpus: list.vcpus,
            appliedMemoryMiB: list.memoryMiB,
            appliedCreditWeight: sched.weight,
            appliedCreditCapPercent: sched.cap,
            ...(spec.cpuset ? { appliedCpuset: parseXlVcpuAffinity(section(out, "vcpus"), spec.name) } : {}),
            appliedCpuPercent: sched.cap > 0 ? sched.cap : "not applied: the credit scheduler has no cap on this domain",
            ...appliedLimits({
                readIops: diskCap(spec.limits.diskIops),
                writeIops: diskCap(spec.limits.diskIops),
                readMBps: diskCap(spec.limits.diskMBps),
                writeMBps: diskCap(spec.limits.diskMBps),
                netInMbps: parseTbfMbps(section(out, "vif")),
                netOutMbps: qdisc === undefined ? "unknown: the guest did not report its qdisc" : parseTbfMbps(qdisc),
            }),
        },
    };
}

/** True when dom0 answers SSH; when the host is gone, so are its guests. */
async function dom0Reachable(spec: GuestSpec<XenSettings>): Promise<boolean> {
    if (spec.host.kind !== "ssh") return false;
    // A guest recorded before host keys were pinned: its dom0 is never reached blind (its domUs go with the nested host).
    if (!spec.host.hostKey) return false;
    const answer = await tcpProbe(spec.host.address, 22, 30_000);
    // No answer at all is no proof the host is gone (a loaded host is slow): refresh fails instead.
    if (answer === "timeout") throw new Error(`the Xen host ${spec.host.address} did not answer on port 22 within 30 s; try the refresh again`);
    return answer === "open";
}

/** Xen PV (or PVH) domUs through xl in the Xen host's dom0. */
export const xenDriver: PlatformDriver<XenSettings> = {
    platform: "xen",

    create: createDomU,

    // The domUs live only inside the stack's own Xen host: no dom0 answering means no guests.
    // xl keeps no stopped domains (on_poweroff destroys them), so a domU runs or is gone.
    async status(name: string, spec: GuestSpec<XenSettings>): Promise<GuestStatus> {
        if (!(await dom0Reachable(spec))) return "gone";
        const out = await sshScript(dom0Of(spec), `xl list ${shellQuote(name)} >/dev/null 2>&1 && echo running || echo gone`, { timeoutMs: 60_000 });
        return out.trim() === "running" ? "running" : "gone";
    },

    async delete(name: string, spec: GuestSpec<XenSettings>): Promise<void> {
        // A clone the operations suite left (stacked on the guest's disk) goes first.
        if (await dom0Reachable(spec)) await sshScript(dom0Of(spec), `${cleanupScript(`${name}-clone`)}\n${cleanupScript(name)}`, { timeoutMs: 300_000 });
    },

    usesImage: nestedHostsUse,
    forgetImage: forgetVmImage,
};
