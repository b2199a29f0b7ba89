import * as fs from "fs";
import * as path from "path";
import { hostLinkName, macAddress } from "../common/link";
import { seedDisk } from "../common/seed";
import { vmDisksUse, vmImages } from "../common/vmDisk";
import { UNLIMITED } from "../driver";
import { NestedHostInfo, NestedHostSpec, XEN_OVERHEAD_MIB } from "./nestedHost";
import { run } from "../../lib/exec";
import { qemuPidOf, stopQemu } from "../common/qemu";
import { claimLink, deleteLinkIfOurs, dirIsOurs, dirState, markDir, markLink } from "../../lib/hostMarks";
import { claim } from "../../lib/ownership";
import { sshScript } from "../../lib/ssh";
import { waitForGuestSsh } from "../common/bootWait";

// A Xen host the stack boots for itself where no Xen runs on the metal: Xen 4.17 and a Debian
// dom0 (the shared base image, with the toolstack) under QEMU, software-emulated (TCG), its NIC
// bridged onto the stack's bridge. `-cpu qemu64` (`max` crashes dom0) and the generic -amd64 kernel
// (the -cloud one lacks dom0 support), as measured on this kind of machine.

const HOSTS = "/var/lib/virt-testbed/xenhosts";

/** Whether a nested host's disk backs onto the image (its domUs use the same base through it). */
export const nestedHostsUse = (imageDir: string) => vmDisksUse(HOSTS, path.basename(imageDir));
const TOOLSTACK = path.join(__dirname, "xen-toolstack.sh");

export interface QemuLaunch {
    name: string;
    images: string;
    memoryMiB: number;
    vcpus: number;
    dom0MemoryMiB: number;
    disk: string;
    seed: string;
    tap: string;
    mac: string;
    consoleLog: string;
    pidFile: string;
    /** The user QEMU runs as once it has opened its tap and files. */
    runAs: string;
}

/**
 * Not root, under QEMU's seccomp sandbox: obsolete and resource-control system calls are denied.
 * setuid and fork stay allowed, as dropping to `runAs` and -daemonize need them (measured: QEMU 7.2
 * dies of a denied system call otherwise).
 */
export const NESTED_SANDBOX = "on,obsolete=deny,elevateprivileges=allow,spawn=allow,resourcecontrol=deny";
/** libvirt's own unprivileged QEMU user (the kvm platform's QEMUs run as it too; set-up installs libvirt). */
export const NESTED_QEMU_USER = "libvirt-qemu";

/** Xen's command line: serial console, a fixed dom0, and the credit scheduler (for xl sched-credit). */
export function xenCmdline(dom0MemoryMiB: number): string {
    return `console=com1 com1=115200,8n1 dom0_mem=${dom0MemoryMiB}M,max:${dom0MemoryMiB}M sched=credit`;
}

/**
 * QEMU's arguments for the nested host. Pure, unit-tested. `-cpu qemu64`: `max` crashes dom0.
 * Disks: vda the host's own overlay, vdb its seed, vdc the base image (snapshot=on: never
 * written) that the domUs' copy-on-write disks are made from.
 */
export function nestedQemuArgs(q: QemuLaunch): string[] {
    const dom0 = `${q.images}/vmlinuz console=hvc0 root=/dev/vda rw net.ifnames=0 init=/usr/local/sbin/vtb-vm-init`;
    return [
        // tb-size: a 128 MiB translation cache instead of QEMU's default 1 GiB (as for kvm guests under TCG).
        "-name",
        q.name,
        "-accel",
        "tcg,tb-size=128",
        "-cpu",
        "qemu64",
        "-m",
        String(q.memoryMiB),
        "-smp",
        String(q.vcpus),
        "-kernel",
        `${q.images}/xen`,
        "-append",
        xenCmdline(q.dom0MemoryMiB),
        // QEMU's multiboot loader takes the dom0 kernel (with its command line) and initramfs as modules.
        "-initrd",
        `${dom0},${q.images}/initrd.img`,
        "-drive",
        `file=${q.disk},if=virtio,format=qcow2`,
        "-drive",
        `file=${q.seed},if=virtio,format=raw,readonly=on`,
        "-drive",
        `file=${q.images}/base.qcow2,if=virtio,format=qcow2,snapshot=on`,
        "-netdev",
        `tap,id=n0,ifname=${q.tap},script=no,downscript=no`,
        "-device",
        `virtio-net-pci,netdev=n0,mac=${q.mac}`,
        "-display",
        "none",
        "-monitor",
        "none",
        "-serial",
        `file:${q.consoleLog}`,
        "-daemonize",
        "-pidfile",
        q.pidFile,
        "-sandbox",
        NESTED_SANDBOX,
        "-runas",
        q.runAs,
    ];
}

/** The fields of `xl info` the outputs carry. */
export function parseXlInfo(out: string): { xenVersion: string; xenScheduler: string; virtCaps: string; totalMemoryMiB: number } {
    const field = (key: string) => {
        const v = new RegExp(`^${key}\\s*:\\s*(.*)$`, "m").exec(out)?.[1]?.trim();
        if (v === undefined) throw new Error(`unexpected xl info output (no ${key}): ${out.slice(0, 200)}`);
        return v;
    };
    return {
        xenVersion: field("xen_version"),
        xenScheduler: field("xen_scheduler"),
        virtCaps: field("virt_caps"),
        totalMemoryMiB: Number(field("total_memory")),
    };
}

/** The nested host's QEMU, if it still runs. */
const runningPid = (name: string) => qemuPidOf(path.join(HOSTS, name, "qemu.pid"), name);

/** Who the running QEMU is, read back from the kernel: its effective uid's user and its seccomp mode. */
function qemuCredentials(pid: number | undefined): { qemuUser: string; qemuSeccomp: string } {
    if (pid === undefined) return { qemuUser: "not running", qemuSeccomp: "not running" };
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const uid = Number(/^Uid:\s+\d+\s+(\d+)/m.exec(status)?.[1]);
    const user = fs
        .readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .find((l) => l.split(":")[2] === String(uid))
        ?.split(":")[0];
    const seccomp = /^Seccomp:\s+(\d)/m.exec(status)?.[1];
    return {
        qemuUser: `${user ?? "?"} (uid ${uid})`,
        qemuSeccomp: ({ "0": "none", "1": "strict", "2": "filter" } as Record<string, string>)[seccomp ?? ""] ?? "unknown",
    };
}

export function nestedHostRunning(name: string, owner?: string): boolean {
    return runningPid(name) !== undefined && (owner === undefined || dirIsOurs(path.join(HOSTS, name), owner));
}

/** Stops the host's QEMU (by its PID) and removes its directory and tap, if they carry our mark. */
export async function deleteNestedHost(name: string, owner: string): Promise<void> {
    if (!dirIsOurs(path.join(HOSTS, name), owner)) return; // gone, or another's: never touched
    await stopQemu(path.join(HOSTS, name, "qemu.pid"), name);
    await deleteLinkIfOurs(hostLinkName(name), owner);
    fs.rmSync(path.join(HOSTS, name), { recursive: true, force: true });
}

/** Boots Xen and dom0, starts the toolstack, and returns what `xl info` says. */
export async function createNestedHost(spec: NestedHostSpec): Promise<NestedHostInfo> {
    // A host of this name that is not ours is refused; our own leftover (an interrupted up) is removed.
    const dir = path.join(HOSTS, spec.name);
    if (claim("nested Xen host", dir, dirState(dir), spec.owner) === "reclaim") await deleteNestedHost(spec.name, spec.owner);
    await claimLink("tap", hostLinkName(spec.name), spec.owner);
    markDir(dir, spec.owner);
    const images = await vmImages(spec.rootfs);
    const disk = path.join(dir, "disk.qcow2");
    await run("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", path.join(images, "base.qcow2"), disk]);
    const seed = await seedDisk(dir, { ...spec, limits: UNLIMITED }, { bridge: "xenbr0" });
    const memoryMiB = spec.dom0MemoryMiB + spec.guestMemoryMiB + XEN_OVERHEAD_MIB;
    const tap = hostLinkName(spec.name);

    const boot = Date.now();
    await run(
        "qemu-system-x86_64",
        nestedQemuArgs({
            name: spec.name,
            images,
            memoryMiB,
            vcpus: spec.vcpus,
            dom0MemoryMiB: spec.dom0MemoryMiB,
            disk,
            seed: seed.img,
            tap,
            mac: macAddress(spec.name),
            consoleLog: path.join(dir, "console.log"),
            pidFile: path.join(dir, "qemu.pid"),
            runAs: NESTED_QEMU_USER,
        }),
        { timeoutMs: 60_000 },
    );
    await markLink(tap, spec.owner);
    await run("ip", ["link", "set", "dev", tap, "master", spec.bridge, "up"]);
    const address = spec.cidr.split("/")[0];
    await waitForGuestSsh(address, 900, async () => fs.readFileSync(path.join(dir, "console.log"), "utf8"));
    const dom0 = { address, privateKey: spec.privateKey, hostKey: seed.sshHostKey };
    const info = parseXlInfo(await sshScript(dom0, fs.readFileSync(TOOLSTACK, "utf8"), { timeoutMs: 600_000 }));
    return {
        address,
        emulated: true,
        accel: "tcg",
        memoryMiB,
        ...info,
        bootToReadySeconds: (Date.now() - boot) / 1000,
        qemuPid: runningPid(spec.name) ?? -1,
        ...qemuCredentials(runningPid(spec.name)),
        sshHostKey: seed.sshHostKey,
    };
}
