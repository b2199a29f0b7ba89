// What a destroyed stack may have left on this host, found by its names (vtb-<stack>-…) and its
// ownership mark: links, bridge, containers, domains and their definitions, disks, nested hosts,
// migration peers, chroots, mounts, namespaces and the processes that run guests. Read-only: it
// reports, it removes nothing. A check that cannot run says so instead of finding nothing.
import { execFileSync } from "child_process";
import * as fs from "fs";
import { GUESTS } from "../components/platforms/kvm/driver";
import { NATIVE_PATH } from "../components/platforms/native/driver";

const XEN_HOSTS = "/var/lib/virt-testbed/xenhosts";
const MIGRATION_PEERS = "/run/virt-testbed/peer";
const LIBVIRT_DEFINITIONS = "/etc/libvirt/qemu";

/** A command's output lines, or undefined when it could not run. */
function lines(cmd: string): string[] | undefined {
    try {
        return execFileSync("sh", ["-c", cmd], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 30_000 })
            .split("\n")
            .filter(Boolean);
    } catch {
        return undefined;
    }
}

const entries = (dir: string, prefix: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => d.startsWith(prefix)) : []);

/** Each finding in words; empty when the stack left nothing. */
export function stackLeftovers(stack: string, bridge: string, mark: string): string[] {
    const prefix = `vtb-${stack}-`;
    const found: string[] = [];
    const add = (what: string, items: string[] | undefined) => {
        if (items === undefined) found.push(`${what}: could not be checked`);
        else if (items.length) found.push(`${what}: ${items.join(" ")}`);
    };
    const linkJson = lines("ip -j link show");
    const links = linkJson && (JSON.parse(linkJson.join("") || "[]") as { ifname: string; ifalias?: string }[]);
    add(
        "links",
        links?.filter((l) => l.ifalias?.trim() === mark).map((l) => l.ifname),
    );
    // The bridge's name alone: someone else's interface of that name is named as such, not as ours.
    const sameName = links?.find((l) => l.ifname === bridge && l.ifalias?.trim() !== mark);
    if (sameName) found.push(`bridge ${bridge} exists without this stack's mark (${sameName.ifalias?.trim() || "no mark"})`);
    add(
        "containers",
        lines("command -v lxc-ls >/dev/null || exit 0; lxc-ls -1")?.filter((n) => n.startsWith(prefix)),
    );
    add(
        "libvirt domain definitions",
        entries(LIBVIRT_DEFINITIONS, prefix).filter((f) => f.endsWith(".xml")),
    );
    add("guest disks", entries(GUESTS, prefix));
    add("nested hosts", entries(XEN_HOSTS, prefix));
    add("migration peers", entries(MIGRATION_PEERS, prefix));
    add("native guests", entries(NATIVE_PATH, prefix));
    add(
        "mounts",
        fs
            .readFileSync("/proc/mounts", "utf8")
            .split("\n")
            .filter((l) => l.includes(prefix))
            .map((l) => l.split(" ")[1]),
    );
    add(
        "network namespaces",
        lines("ip netns list")
            ?.map((l) => l.split(" ")[0])
            .filter((n) => n.startsWith(prefix)),
    );
    // Only the processes that run a guest or its host: QEMU (kvm guests, the nested Xen host), LXC's monitor and init.
    add(
        "guest processes",
        lines("ps -eo pid,args")
            ?.filter((l) => l.includes(prefix) && /qemu-system|\[lxc monitor\]|lxc-start/.test(l))
            .map((l) => l.trim().split(/\s+/)[0]),
    );
    return found;
}
