import * as fs from "fs";
import * as path from "path";
import { run, tryRun } from "../../lib/exec";
import { derivedDir } from "./derivedImages";

// The VM form of a base image (kernel, initramfs, Xen, qcow2 base disk: vm-disk.sh), shared by
// the platforms that boot VMs, and the questions the image cache asks about it.

const VM_DISK = path.join(__dirname, "vm-disk.sh");

/** Makes (once) the VM form of a base image; returns its directory. */
export async function vmImages(rootfs: string): Promise<string> {
    return (await run("bash", [VM_DISK, rootfs], { timeoutMs: 1_200_000 })).trim().split("\n").pop() as string;
}

/** Whether any `disk.qcow2` in the directories under `dirs` backs onto the image's VM disk; unreadable counts as yes. */
export async function vmDisksUse(dirs: string, imageHash: string): Promise<boolean> {
    if (!fs.existsSync(dirs)) return false;
    for (const vm of fs.readdirSync(dirs).filter((n) => !n.startsWith("."))) {
        const disk = path.join(dirs, vm, "disk.qcow2");
        if (!fs.existsSync(disk)) continue;
        const info = await tryRun("qemu-img", ["info", "-U", "--output=json", disk], { timeoutMs: 30_000 });
        if (info === undefined || info.includes(`/images/${imageHash}/`)) return true;
    }
    return false;
}

/** Removes an image's VM form (when the image itself is pruned). */
export function forgetVmImage(imageHash: string): void {
    fs.rmSync(derivedDir(imageHash), { recursive: true, force: true });
}
