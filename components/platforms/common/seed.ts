import * as fs from "fs";
import * as path from "path";
import { GuestSpec } from "../driver";
import { tbfQdisc } from "./limits";
import { run } from "../../lib/exec";
import { keyOnly } from "../../lib/ssh";
import { hostKeySeedFiles, newHostKey } from "./hostKey";

/**
 * The seed disk of a VM (kvm guest, Xen domU or Xen host): what liblxc's config does for a
 * container — hostname, address, SSH key, network cap, optional bridge — and the SSH host key
 * generated for it, read by vtb-vm-init at boot (components/image/vm-init.sh). Written as a small
 * read-only ext4 image in `dir`; returns its path and the host key to pin.
 */
export async function seedDisk(
    dir: string,
    spec: Pick<GuestSpec, "name" | "cidr" | "authorizedKey" | "limits">,
    extra: Record<string, string> = {},
): Promise<{ img: string; sshHostKey: string }> {
    const hostKey = await newHostKey(spec.name);
    const seed = path.join(dir, "seed");
    fs.rmSync(seed, { recursive: true, force: true });
    fs.mkdirSync(seed, { recursive: true });
    const address = spec.cidr.split("/")[0];
    const files: Record<string, string> = {
        hostname: spec.name,
        hosts: `127.0.0.1 localhost\n${address} ${spec.name}`,
        cidr: spec.cidr,
        authorized_keys: spec.authorizedKey,
        // The guest caps its own outgoing traffic at boot; the host caps what goes in.
        ...(spec.limits.netMbps > 0 ? { "eth0-tbf": tbfQdisc(spec.limits.netMbps).join(" ") } : {}),
        ...hostKeySeedFiles(hostKey),
        ...extra,
    };
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(seed, name), `${content}\n`, { mode: 0o600 });
    const img = path.join(dir, "seed.img");
    await run("mkfs.ext4", ["-q", "-F", "-d", seed, img, "8M"]);
    fs.rmSync(seed, { recursive: true, force: true });
    return { img, sshHostKey: keyOnly(hostKey.publicKey) };
}
