import * as fs from "fs";
import * as path from "path";
import { GuestInfo, GuestSpec, GuestStatus, PlatformDriver } from "../driver";
import { LXC_PATH, lxcConfig } from "./lxcConfig";
import { ID_BASE, shiftedRootfs, shiftedRootfsFor, shiftOwners } from "./idmap";
import type { LxcSettings } from ".";
import { hostLinkName } from "../common/link";
import { installHostKey, newHostKey } from "../common/hostKey";
import { blockDeviceOf, capEgress } from "../common/limits";
import { CgroupReadBack, parseReadBack, readBackFiles } from "./cgroupLimits";
import { CgroupFacts, localCgroupFacts } from "../../lib/cgroups";
import { run, tryRun } from "../../lib/exec";
import { claimLink, deleteLinkIfOurs, dirIsOurs, dirState, markDir, markLink } from "../../lib/hostMarks";
import { claim } from "../../lib/ownership";
import { writeFileUnder } from "../../lib/files";
import { waitForPort } from "../../lib/ssh";

/** The container's state (RUNNING, STOPPED, …), undefined when liblxc knows no such container; throws when lxc-info cannot answer. */
async function state(name: string): Promise<string | undefined> {
    try {
        return (await run("lxc-info", ["-n", name, "-s", "-H"], { timeoutMs: 60_000 })).trim();
    } catch (e) {
        if (/doesn't exist|does not exist/.test(String(e))) return undefined;
        throw e;
    }
}

async function lxcVersion(): Promise<string> {
    return `liblxc ${(await tryRun("lxc-start", ["--version"]))?.trim() ?? "unknown"}`;
}

/**
 * Caps the network both ways with a token bucket: on the host side of the veth (traffic into the
 * container) and on its eth0 inside the container's namespace (traffic out), and reads the rates
 * back from tc.
 */
async function capNetwork(spec: GuestSpec<LxcSettings>): Promise<{ appliedNetInMbps: number; appliedNetOutMbps: number }> {
    const pid = Number((await run("lxc-info", ["-n", spec.name, "-p", "-H"], { timeoutMs: 10_000 })).trim());
    return {
        appliedNetInMbps: await capEgress(hostLinkName(spec.name), spec.limits.netMbps),
        appliedNetOutMbps: await capEgress("eth0", spec.limits.netMbps, pid),
    };
}

/** What the kernel really applied, read back from the container's cgroups in the host's hierarchy. */
async function readCgroups(spec: GuestSpec<LxcSettings>, cgroups: CgroupFacts, dev: string): Promise<CgroupReadBack> {
    const files: Record<string, string> = {};
    for (const file of readBackFiles(spec, cgroups)) files[file] = (await run("lxc-cgroup", ["-n", spec.name, file], { timeoutMs: 10_000 })).trim();
    return parseReadBack(spec, cgroups, files, dev);
}

/** Clones the base, writes the config and boots the container; returns once sshd answers. */
async function createContainer(spec: GuestSpec<LxcSettings>): Promise<GuestInfo> {
    const start = Date.now();
    const dir = path.join(LXC_PATH, spec.name);
    // A container of this name that is not ours is refused; our own leftover (an interrupted up) is removed.
    if (claim("container", spec.name, dirState(dir), spec.owner) === "reclaim") await lxcDriver.delete(spec.name, spec);
    await claimLink("veth", hostLinkName(spec.name), spec.owner);
    markDir(dir, spec.owner);
    const upper = path.join(dir, "delta0");
    fs.mkdirSync(upper, { recursive: true });
    const address = spec.cidr.split("/")[0];
    writeFileUnder(upper, "etc/hostname", `${spec.name}\n`);
    writeFileUnder(upper, "etc/hosts", `127.0.0.1 localhost\n${address} ${spec.name}\n`);
    writeFileUnder(upper, "root/.ssh/authorized_keys", `${spec.authorizedKey}\n`, 0o600);
    fs.chmodSync(path.join(upper, "root/.ssh"), 0o700);
    const sshHostKey = installHostKey(upper, await newHostKey(spec.name));
    // Unprivileged: the overlay is mounted by the container's root, which owns its upper and work directories.
    const lower = spec.settings.privileged ? spec.rootfs : await shiftedRootfs(spec.rootfs);
    if (!spec.settings.privileged) {
        fs.mkdirSync(path.join(dir, "work"), { recursive: true });
        for (const d of [upper, path.join(dir, "work")]) shiftOwners(d, ID_BASE);
    }
    const cgroups = localCgroupFacts();
    const dev = blockDeviceOf(LXC_PATH);
    fs.writeFileSync(path.join(dir, "config"), lxcConfig(spec, dev, lower, cgroups));
    const provisionSeconds = (Date.now() - start) / 1000;

    const boot = Date.now();
    await run("lxc-start", ["-n", spec.name, "-d", "-l", "INFO", "-o", path.join(dir, "lxc.log")], { timeoutMs: 60_000 });
    await markLink(hostLinkName(spec.name), spec.owner);
    await waitForPort(address, 22, 60);
    const applied = await readCgroups(spec, cgroups, dev);
    const network = await capNetwork(spec);
    return {
        address,
        platform: "lxc",
        emulated: false,
        provisionSeconds,
        bootToReadySeconds: (Date.now() - boot) / 1000,
        sshHostKey,
        details: {
            container: spec.name,
            veth: hostLinkName(spec.name),
            lxcPath: LXC_PATH,
            baseRootfs: spec.rootfs,
            privileged: spec.settings.privileged,
            ...(spec.settings.privileged ? {} : { idmap: `0-65535 → ${ID_BASE}-${ID_BASE + 65535}` }),
            platformVersion: await lxcVersion(),
            cgroupHierarchy: cgroups.hierarchy,
            ...applied,
            ...network,
        },
    };
}

/** LXC containers on the local host through liblxc's command-line tools. */
export const lxcDriver: PlatformDriver<LxcSettings> = {
    platform: "lxc",

    create: createContainer,

    async status(name: string, spec: GuestSpec<LxcSettings>): Promise<GuestStatus> {
        if (!dirIsOurs(path.join(LXC_PATH, name), spec.owner)) return "gone";
        const s = await state(name);
        return s === undefined ? "gone" : s === "RUNNING" ? "running" : "stopped";
    },

    async delete(name: string, spec: GuestSpec<LxcSettings>): Promise<void> {
        const dir = path.join(LXC_PATH, name);
        if (!dirIsOurs(dir, spec.owner)) return; // gone, or another's: never touched
        // A container left frozen (an interrupted operations suite) cannot be killed until it is thawed.
        if ((await state(name)) === "FROZEN") await run("lxc-unfreeze", ["-n", name], { timeoutMs: 60_000 });
        if ((await state(name)) === "RUNNING") await run("lxc-stop", ["-n", name, "-k"], { timeoutMs: 60_000 });
        // Not lxc-destroy: our own directory holds config, overlay upper and work dirs, and
        // removing it can never reach the shared base image.
        fs.rmSync(dir, { recursive: true, force: true });
        await deleteLinkIfOurs(hostLinkName(name), spec.owner);
        // A clone the operations suite left (never started), when it carries our mark.
        const clone = path.join(LXC_PATH, `${name}-clone`);
        if (dirIsOurs(clone, spec.owner)) fs.rmSync(clone, { recursive: true, force: true });
    },

    // A container's config names its overlay's lower directory: the image's rootfs, or its shifted copy.
    async usesImage(imageDir: string): Promise<boolean> {
        const configs = fs.existsSync(LXC_PATH) ? fs.readdirSync(LXC_PATH).map((c) => path.join(LXC_PATH, c, "config")) : [];
        const shifted = path.dirname(shiftedRootfsFor(path.basename(imageDir)));
        return configs.some((c) => fs.existsSync(c) && [imageDir, `${shifted}/`].some((d) => fs.readFileSync(c, "utf8").includes(d)));
    },
    forgetImage: (imageHash) => fs.rmSync(shiftedRootfsFor(imageHash), { recursive: true, force: true }),
};
