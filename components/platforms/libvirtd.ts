import * as path from "path";
import { run, tryRun } from "../ops/exec";
import { libvirtUri } from "./hostTarget";

/** The local system instance; a remote KVM host would be libvirtUri({ kind: "ssh", … }) (qemu+ssh). */
export const LIBVIRT_URI = libvirtUri({ kind: "local" });

/** virsh against the local QEMU driver, time-bounded, stdin closed (it can hang otherwise). */
export function virsh(args: string[], timeoutMs = 300_000): Promise<string> {
    return run("virsh", ["-c", LIBVIRT_URI, ...args], { timeoutMs });
}

/** Starts virtlogd and libvirtd if none answers; see libvirtd-start.sh. */
export async function ensureLibvirtd(kvmWorks: boolean): Promise<void> {
    await run("bash", [path.join(__dirname, "libvirtd-start.sh"), ...(kvmWorks ? [] : ["--hide-kvm"])], { timeoutMs: 120_000 });
}

/** The domain's state ("running", "shut off", …), or undefined when there is no such domain. */
export async function domainState(name: string): Promise<string | undefined> {
    return (await tryRun("virsh", ["-c", LIBVIRT_URI, "domstate", name], { timeoutMs: 30_000 }))?.trim();
}

/** True when a libvirtd answers; without one no domain of ours can exist (see stopLibvirtdIfIdle). */
export async function libvirtdAnswers(): Promise<boolean> {
    return (await tryRun("virsh", ["-c", LIBVIRT_URI, "uri"], { timeoutMs: 10_000 })) !== undefined;
}

/** Stops the daemons the testbed started once no domain is left; see libvirtd-stop.sh. */
export async function stopLibvirtdIfIdle(): Promise<void> {
    await run("bash", [path.join(__dirname, "libvirtd-stop.sh")], { timeoutMs: 60_000 });
}
