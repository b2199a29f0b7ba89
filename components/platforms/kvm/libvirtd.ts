import * as fs from "fs";
import * as path from "path";
import { run, tryRun } from "../../lib/exec";
import { libvirtUri } from "../common/hostTarget";

/** The local system instance; a remote KVM host would be libvirtUri({ kind: "ssh", … }) (qemu+ssh). */
export const LIBVIRT_URI = libvirtUri({ kind: "local" });

/** virsh against the local QEMU driver, time-bounded, stdin closed (it can hang otherwise). */
export function virsh(args: string[], timeoutMs = 300_000): Promise<string> {
    return run("virsh", ["-c", LIBVIRT_URI, ...args], { timeoutMs });
}

/** A second libvirtd for one domain, the destination of a live migration on this host; see migration-peer.sh. */
export const MIGRATION_PEER = path.join(__dirname, "migration-peer.sh");

/** Destroys the domain in its migration peer, where a migration cut short left it (only when it carries our mark), and stops the peer. */
export async function evictFromMigrationPeer(name: string, owner: string): Promise<void> {
    await run("bash", [MIGRATION_PEER, "evict", name, owner], { timeoutMs: 120_000 });
}

const LEASES = "/run/virt-testbed/libvirt.leases";

/**
 * Starts virtlogd and libvirtd if none answers; see libvirtd-start.sh. With `lease` (a domain
 * about to be defined) the daemons stay up until releaseLibvirtd(lease), whatever other stacks delete.
 */
export async function ensureLibvirtd(kvmWorks: boolean, lease?: string): Promise<void> {
    const args = [...(kvmWorks ? [] : ["--hide-kvm"]), ...(lease ? ["--lease", `${lease}.${process.pid}`, String(process.pid)] : [])];
    await run("bash", [path.join(__dirname, "libvirtd-start.sh"), ...args], { timeoutMs: 120_000 });
}

export function releaseLibvirtd(lease: string): void {
    fs.rmSync(path.join(LEASES, `${lease}.${process.pid}`), { force: true });
}

/** A virsh question about one domain: its answer, or undefined when there is no such domain; throws when virsh cannot answer. */
async function askDomain(args: string[]): Promise<string | undefined> {
    try {
        return (await virsh(args, 60_000)).trim();
    } catch (e) {
        if (/failed to get domain|Domain not found/.test(String(e))) return undefined;
        throw e;
    }
}

/** The domain's state ("running", "shut off", …), or undefined when there is no such domain. */
export function domainState(name: string): Promise<string | undefined> {
    return askDomain(["domstate", name]);
}

/** Whether a domain of that name exists, and the ownership mark it carries (its description). */
export async function domainMark(name: string): Promise<{ exists: boolean; mark?: string }> {
    const mark = await askDomain(["desc", name]);
    return mark === undefined ? { exists: false } : { exists: true, mark };
}

/** True when a libvirtd answers; without one no domain of ours can exist (see stopLibvirtdIfIdle). */
export async function libvirtdAnswers(): Promise<boolean> {
    return (await tryRun("virsh", ["-c", LIBVIRT_URI, "uri"], { timeoutMs: 10_000 })) !== undefined;
}

/** Stops the daemons the testbed started once no domain is left; see libvirtd-stop.sh. */
export async function stopLibvirtdIfIdle(): Promise<void> {
    await run("bash", [path.join(__dirname, "libvirtd-stop.sh")], { timeoutMs: 60_000 });
}
