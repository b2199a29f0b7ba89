// What a destroyed stack may have left on this host, found by its names (vtb-<stack>-…) and its
// ownership mark: links, bridge, containers, domains, disks, nested hosts, chroots, mounts,
// namespaces and processes. Read-only: it reports, it removes nothing.
import { execFileSync } from "child_process";
import * as fs from "fs";
import { GUESTS } from "../components/platforms/kvm/driver";
import { NATIVE_PATH } from "../components/platforms/native/driver";

const XEN_HOSTS = "/var/lib/virt-testbed/xenhosts";

function lines(cmd: string): string[] {
    try {
        return execFileSync("sh", ["-c", cmd], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 30_000 })
            .split("\n")
            .filter(Boolean);
    } catch {
        return [];
    }
}

const entries = (dir: string, prefix: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => d.startsWith(prefix)) : []);

/** Each finding in words; empty when the stack left nothing. */
export function stackLeftovers(stack: string, bridge: string, mark: string): string[] {
    const prefix = `vtb-${stack}-`;
    const found: string[] = [];
    const add = (what: string, items: string[]) => items.length && found.push(`${what}: ${items.join(" ")}`);
    const links = JSON.parse(lines("ip -j link show").join("") || "[]") as { ifname: string; ifalias?: string }[];
    add(
        "links",
        links.filter((l) => l.ifname === bridge || l.ifalias?.trim() === mark).map((l) => l.ifname),
    );
    add(
        "containers",
        lines("lxc-ls -1").filter((n) => n.startsWith(prefix)),
    );
    add(
        "domains",
        lines("timeout 20 virsh -c qemu:///system list --all --name </dev/null").filter((n) => n.startsWith(prefix)),
    );
    add("guest disks", entries(GUESTS, prefix));
    add("nested hosts", entries(XEN_HOSTS, prefix));
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
            .map((l) => l.split(" ")[0])
            .filter((n) => n.startsWith(prefix)),
    );
    add(
        "processes",
        lines("ps -eo pid,args")
            .filter((l) => l.includes(prefix))
            .map((l) => l.trim().split(/\s+/)[0]),
    );
    return found;
}
