import * as fs from "fs";
import * as path from "path";
import { cpuShare, GuestInfo, GuestSpec, GuestStatus, PlatformDriver } from "../driver";
import type { KvmSettings } from ".";
import { Accel, domainXml, NicModel } from "./libvirtDomain";
import { domainMark, domainState, ensureLibvirtd, evictFromMigrationPeer, libvirtdAnswers, releaseLibvirtd, stopLibvirtdIfIdle, virsh } from "./libvirtd";
import { probeAccel } from "./accel";
import { hostLinkName, macAddress } from "../common/link";
import { appliedCpuPercent, appliedLimits, capEgress, consoleQdisc, parseTbfMbps } from "../common/limits";
import { seedDisk } from "../common/seed";
import { forgetVmImage, vmDisksUse, vmImages } from "../common/vmDisk";
import { parseBlkdeviotune, parseDominfo, parseSchedinfo, parseVcpupin } from "./readBack";
import { run, tryRun } from "../../lib/exec";
import { claimLink, deleteLinkIfOurs, dirIsOurs, dirState, markDir, markLink } from "../../lib/hostMarks";
import { claim, isOurs } from "../../lib/ownership";
import { waitForGuestSsh } from "../common/bootWait";

export const GUESTS = "/var/lib/virt-testbed/guests";
/** Boot to sshd: seconds with KVM, up to a minute or more per guest under TCG on 2 cores. */
const BOOT_TIMEOUT_S = 900;

async function versions(): Promise<string> {
    const first = async (cmd: string) => ((await tryRun(cmd, ["--version"])) ?? `${cmd} ?`).split("\n")[0].trim();
    return `${await first("libvirtd")}; ${await first("qemu-system-x86_64")}`;
}

/**
 * Stops and undefines our domain, then removes our directory (overlay, seed, console log) and tap.
 * The disk goes only once the domain is gone: a domain still defined keeps its disk.
 */
async function removeDomain(name: string, owner: string): Promise<void> {
    await evictFromMigrationPeer(name, owner);
    const domain = await domainMark(name);
    if (domain.exists) {
        if (!isOurs(domain.mark, owner)) return; // another's domain: never touched, nor its files
        if ((await domainState(name)) !== "shut off") await virsh(["destroy", name]);
        await virsh(["undefine", name]);
    }
    const dir = path.join(GUESTS, name);
    if (dirIsOurs(dir, owner)) fs.rmSync(dir, { recursive: true, force: true });
    await deleteLinkIfOurs(hostLinkName(name), owner);
}

/**
 * Caps traffic into the guest on its tap (libvirt's own <bandwidth> needs the sfq qdisc and
 * ingress policing, which this host's kernel lacks), then reads back every cap: the disk's from
 * QEMU, the tap's from tc, the guest's own NIC from what its init printed on the console.
 */
async function applyNetworkCapAndReadBack(spec: GuestSpec<KvmSettings>, dir: string): Promise<ReturnType<typeof appliedLimits>> {
    const netInMbps = await capEgress(hostLinkName(spec.name), spec.limits.netMbps);
    const qdisc = consoleQdisc(fs.readFileSync(path.join(dir, "console.log"), "utf8"));
    const io = parseBlkdeviotune(await virsh(["blkdeviotune", spec.name, "vda"]));
    return appliedLimits({
        readIops: io.readIops,
        writeIops: io.writeIops,
        readMBps: io.readBytesSec / 1e6,
        writeMBps: io.writeBytesSec / 1e6,
        netInMbps,
        netOutMbps: qdisc === undefined ? "unknown: the guest did not report its qdisc" : parseTbfMbps(qdisc),
    });
}

/** Defines and boots the domain; returns once sshd answers. */
async function createDomain(spec: GuestSpec<KvmSettings>): Promise<GuestInfo> {
    const start = Date.now();
    const images = await vmImages(spec.rootfs);
    const requested = spec.settings.accel;
    const accel: Accel = requested === "auto" ? await probeAccel(path.join(images, "vmlinuz")) : requested;
    await ensureLibvirtd(accel === "kvm", spec.name);
    try {
        return await defineAndBoot(spec, images, accel, start);
    } finally {
        releaseLibvirtd(spec.name); // defined (or failed): the daemons may stop once no domain is left
    }
}

/** Claims the name, makes the disk and seed, defines and boots the domain; returns once sshd answers. */
async function defineAndBoot(spec: GuestSpec<KvmSettings>, images: string, accel: Accel, start: number): Promise<GuestInfo> {
    // A domain or guest directory of this name that is not ours is refused; our own leftover (an interrupted up) is removed.
    const dir = path.join(GUESTS, spec.name);
    const reclaim = [claim("domain", spec.name, await domainMark(spec.name), spec.owner), claim("guest directory", dir, dirState(dir), spec.owner)];
    if (reclaim.includes("reclaim")) await removeDomain(spec.name, spec.owner);
    await claimLink("tap", hostLinkName(spec.name), spec.owner);
    const nicModel: NicModel = spec.settings.nicModel;
    markDir(dir, spec.owner);
    const disk = path.join(dir, "disk.qcow2");
    await run("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", path.join(images, "base.qcow2"), disk]);
    const seed = await seedDisk(dir, spec);
    const xml = domainXml({
        name: spec.name,
        owner: spec.owner,
        accel,
        vcpus: spec.vcpus,
        memoryMiB: spec.memoryMiB,
        kernel: path.join(images, "vmlinuz"),
        initrd: path.join(images, "initrd.img"),
        disk,
        seed: seed.img,
        bridge: spec.bridge,
        hostLink: hostLinkName(spec.name),
        mac: macAddress(spec.name),
        nicModel,
        consoleLog: path.join(dir, "console.log"),
        cpuPercent: cpuShare(spec.limits, spec.vcpus),
        ...(spec.cpuset ? { cpuset: spec.cpuset } : {}),
        diskIops: spec.limits.diskIops,
        diskMBps: spec.limits.diskMBps,
    });
    fs.writeFileSync(path.join(dir, "domain.xml"), xml);
    await virsh(["define", path.join(dir, "domain.xml")]);
    const provisionSeconds = (Date.now() - start) / 1000;

    const boot = Date.now();
    await virsh(["start", spec.name]);
    await markLink(hostLinkName(spec.name), spec.owner);
    const address = spec.cidr.split("/")[0];
    await waitForGuestSsh(address, BOOT_TIMEOUT_S, async () => fs.readFileSync(path.join(dir, "console.log"), "utf8"));
    // What libvirt really applied, read back from the running domain.
    const applied = { ...parseDominfo(await virsh(["dominfo", spec.name])), ...parseSchedinfo(await virsh(["schedinfo", spec.name])) };
    const limits = await applyNetworkCapAndReadBack(spec, dir);
    return {
        address,
        platform: "kvm",
        emulated: accel !== "kvm",
        provisionSeconds,
        bootToReadySeconds: (Date.now() - boot) / 1000,
        sshHostKey: seed.sshHostKey,
        details: {
            domain: spec.name,
            accel,
            nicModel,
            baseRootfs: spec.rootfs,
            disk,
            platformVersion: await versions(),
            appliedVcpus: applied.vcpus,
            appliedMemoryMiB: applied.memoryMiB,
            appliedVcpuQuotaUs: applied.vcpuQuotaUs,
            appliedVcpuPeriodUs: applied.vcpuPeriodUs,
            appliedCpuPercent: appliedCpuPercent(applied.vcpuQuotaUs, applied.vcpuPeriodUs, applied.vcpus),
            ...(spec.cpuset ? { appliedCpuset: parseVcpupin(await virsh(["vcpupin", spec.name])) } : {}),
            ...limits,
        },
    };
}

/** Whether the guest was created with KVM (its recorded accel), so a restarted libvirtd hides /dev/kvm only where it did not work. */
function kvmWorked(spec: GuestSpec<KvmSettings>): boolean {
    return (spec as GuestSpec & { details?: { accel?: string } }).details?.accel === "kvm";
}

/** Full virtualization: libvirt's QEMU driver, KVM when it really works, else TCG (emulated). */
export const kvmDriver: PlatformDriver<KvmSettings> = {
    platform: "kvm",

    create: createDomain,

    async status(name: string, spec: GuestSpec<KvmSettings>): Promise<GuestStatus> {
        if (!(await libvirtdAnswers())) {
            if (!fs.existsSync(path.join(GUESTS, name))) return "gone";
            await ensureLibvirtd(kvmWorked(spec)); // after a reboot: domain definitions outlive the daemon
        }
        const domain = await domainMark(name);
        if (!domain.exists || !isOurs(domain.mark, spec.owner)) return "gone";
        return (await domainState(name)) === "running" ? "running" : "stopped";
    },

    async delete(name: string, spec: GuestSpec<KvmSettings>): Promise<void> {
        // Definitions outlive the daemon (a reboot): ask a libvirtd before removing any file.
        if (!(await libvirtdAnswers()) && fs.existsSync(path.join(GUESTS, name))) await ensureLibvirtd(kvmWorked(spec));
        if (await libvirtdAnswers()) {
            await removeDomain(`${name}-clone`, spec.owner); // one the operations suite left, on an overlay of this guest's disk
            await removeDomain(name, spec.owner);
        }
        await stopLibvirtdIfIdle();
    },

    usesImage: (imageDir) => vmDisksUse(GUESTS, path.basename(imageDir)),
    forgetImage: forgetVmImage,
};
