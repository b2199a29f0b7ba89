import * as fs from "fs";
import * as path from "path";
import { GuestInfo, GuestSpec, PlatformDriver } from "./driver";
import { Accel, domainXml, NicModel } from "./libvirtDomain";
import { domainState, ensureLibvirtd, libvirtdAnswers, stopLibvirtdIfIdle, virsh } from "./libvirtd";
import { probeAccel } from "./accel";
import { macAddress } from "./mac";
import { parseDominfo, parseSchedinfo } from "./readBack";
import { run, tryRun } from "../ops/exec";
import { waitForPort } from "../ops/ssh";

const GUESTS = "/var/lib/virt-testbed/guests";
const VM_DISK = path.join(__dirname, "vm-disk.sh");
/** Boot to sshd: seconds with KVM, up to a minute or more per guest under TCG on 2 cores. */
const BOOT_TIMEOUT_S = 900;

/** The seed disk: what liblxc's config does for a container, read by vtb-vm-init at boot. */
async function seedDisk(dir: string, spec: GuestSpec): Promise<string> {
    const seed = path.join(dir, "seed");
    fs.mkdirSync(seed, { recursive: true });
    const address = spec.cidr.split("/")[0];
    fs.writeFileSync(path.join(seed, "hostname"), `${spec.name}\n`);
    fs.writeFileSync(path.join(seed, "hosts"), `127.0.0.1 localhost\n${address} ${spec.name}\n`);
    fs.writeFileSync(path.join(seed, "cidr"), `${spec.cidr}\n`);
    fs.writeFileSync(path.join(seed, "authorized_keys"), `${spec.authorizedKey}\n`, { mode: 0o600 });
    const img = path.join(dir, "seed.img");
    await run("mkfs.ext4", ["-q", "-F", "-d", seed, img, "8M"]);
    fs.rmSync(seed, { recursive: true, force: true });
    return img;
}

async function versions(): Promise<string> {
    const first = async (cmd: string) => ((await tryRun(cmd, ["--version"])) ?? `${cmd} ?`).split("\n")[0].trim();
    return `${await first("libvirtd")}; ${await first("qemu-system-x86_64")}`;
}

/** Stops and undefines the domain and removes its directory (overlay, seed, console log). */
async function removeDomain(name: string): Promise<void> {
    const state = await domainState(name);
    if (state !== undefined) {
        if (state !== "shut off") await virsh(["destroy", name]);
        await virsh(["undefine", name]);
    }
    fs.rmSync(path.join(GUESTS, name), { recursive: true, force: true });
}

/** Defines and boots the domain; returns once sshd answers. */
async function createDomain(spec: GuestSpec): Promise<GuestInfo> {
    const start = Date.now();
    const images = (await run("bash", [VM_DISK, spec.rootfs], { timeoutMs: 1_200_000 })).trim().split("\n").pop() as string;
    const requested = spec.options.accel ?? "auto";
    const accel: Accel = requested === "auto" ? await probeAccel(path.join(images, "vmlinuz")) : (requested as Accel);
    await ensureLibvirtd(accel === "kvm");
    await removeDomain(spec.name); // whatever an interrupted up left under this name
    const nicModel = (spec.options.nicModel ?? "virtio") as NicModel;

    const dir = path.join(GUESTS, spec.name);
    fs.mkdirSync(dir, { recursive: true });
    const disk = path.join(dir, "disk.qcow2");
    await run("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", path.join(images, "base.qcow2"), disk]);
    const xml = domainXml({
        name: spec.name, accel, vcpus: spec.vcpus, memoryMiB: spec.memoryMiB,
        kernel: path.join(images, "vmlinuz"), initrd: path.join(images, "initrd.img"),
        disk, seed: await seedDisk(dir, spec), bridge: spec.bridge, mac: macAddress(spec.name), nicModel,
        consoleLog: path.join(dir, "console.log"),
    });
    fs.writeFileSync(path.join(dir, "domain.xml"), xml);
    await virsh(["define", path.join(dir, "domain.xml")]);
    const provisionSeconds = (Date.now() - start) / 1000;

    const boot = Date.now();
    await virsh(["start", spec.name]);
    const address = spec.cidr.split("/")[0];
    await waitForPort(address, 22, BOOT_TIMEOUT_S);
    // What libvirt really applied, read back from the running domain.
    const applied = { ...parseDominfo(await virsh(["dominfo", spec.name])), ...parseSchedinfo(await virsh(["schedinfo", spec.name])) };
    return {
        address,
        platform: "kvm",
        emulated: accel !== "kvm",
        provisionSeconds,
        bootToReadySeconds: (Date.now() - boot) / 1000,
        details: {
            domain: spec.name, accel, nicModel, baseRootfs: spec.rootfs, disk, platformVersion: await versions(),
            appliedVcpus: applied.vcpus, appliedMemoryMiB: applied.memoryMiB,
            appliedVcpuQuotaUs: applied.vcpuQuotaUs, appliedVcpuPeriodUs: applied.vcpuPeriodUs,
        },
    };
}

/** Full virtualization: libvirt's QEMU driver, KVM when it really works, else TCG (emulated). */
export const kvmDriver: PlatformDriver = {
    platform: "kvm",

    create: createDomain,

    async isRunning(name: string): Promise<boolean> {
        if (!(await libvirtdAnswers())) return false;
        return (await domainState(name)) === "running";
    },

    async delete(name: string): Promise<void> {
        if (await libvirtdAnswers()) await removeDomain(name);
        else fs.rmSync(path.join(GUESTS, name), { recursive: true, force: true });
        await stopLibvirtdIfIdle();
    },
};
