// Reading and writing ownership marks on host objects (see lib/ownership.ts):
// a network interface carries its mark as its alias (`ip link set … alias`), a directory in an
// `owner` file. Probes that cannot answer throw: "could not ask" is never taken for "absent".
import * as fs from "fs";
import * as path from "path";
import { claim, isOurs } from "./ownership";
import { run } from "./exec";

export interface Existing {
    exists: boolean;
    mark?: string;
}

/** Whether an interface exists, and the mark (alias) it carries. */
export async function linkState(name: string): Promise<Existing> {
    try {
        const out = await run("ip", ["-j", "link", "show", "dev", name], { timeoutMs: 30_000 });
        const link = (JSON.parse(out) as Array<{ ifalias?: string }>)[0];
        return { exists: true, mark: link?.ifalias };
    } catch (e) {
        if (/does not exist|Cannot find device/.test(String(e))) return { exists: false };
        throw e;
    }
}

export async function markLink(name: string, mark: string): Promise<void> {
    await run("ip", ["link", "set", "dev", name, "alias", mark]);
}

/** Deletes an interface that may vanish meanwhile: a veth goes with its peer, whose namespace the kernel frees asynchronously. */
async function deleteLink(name: string): Promise<void> {
    try {
        await run("ip", ["link", "del", "dev", name]);
    } catch (e) {
        if (!/Cannot find device/.test(String(e))) throw e;
    }
}

/** Removes an interface only when it carries our mark. */
export async function deleteLinkIfOurs(name: string, mark: string): Promise<void> {
    const link = await linkState(name);
    if (link.exists && isOurs(link.mark, mark)) await deleteLink(name);
}

/**
 * Makes room for a new interface: nothing there, or our own leftover (removed); refuses an
 * interface that is not ours.
 */
export async function claimLink(kind: string, name: string, mark: string): Promise<void> {
    if (claim(kind, name, await linkState(name), mark) === "reclaim") await deleteLink(name);
}

const OWNER_FILE = "owner";

/** Whether a directory exists, and the mark in its owner file. */
export function dirState(dir: string): Existing {
    if (!fs.existsSync(dir)) return { exists: false };
    const file = path.join(dir, OWNER_FILE);
    return { exists: true, mark: fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : undefined };
}

export function markDir(dir: string, mark: string): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, OWNER_FILE), `${mark}\n`);
}

export function dirIsOurs(dir: string, mark: string): boolean {
    return isOurs(dirState(dir).mark, mark);
}
