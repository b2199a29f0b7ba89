import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GuestInfo, GuestSpec, GuestStatus, PlatformDriver } from "../driver";
import { hostLinkName, macAddress } from "../common/link";
import { run, tryRun } from "../../lib/exec";
import { claimLink, deleteLinkIfOurs, dirIsOurs, dirState, markDir, markLink } from "../../lib/hostMarks";
import { claim } from "../../lib/ownership";
import { writeFileUnder } from "../../lib/files";
import { waitForPort } from "../../lib/ssh";
import { installHostKey, newHostKey } from "../common/hostKey";

/** Where native guests live: one marked directory each (overlay upper, work, root). */
export const NATIVE_PATH = "/var/lib/vtb-native";
const NOT_LIMITED = "not applied: native runs without resource limits";

const paths = (name: string) => {
    const dir = path.join(NATIVE_PATH, name);
    return { dir, root: path.join(dir, "root"), upper: path.join(dir, "upper"), work: path.join(dir, "work"), netns: `/run/netns/${name}` };
};

/** Mount points at or under a directory, deepest first (/proc/self/mountinfo field 5). */
export function mountsUnder(dir: string, mountinfo = fs.readFileSync("/proc/self/mountinfo", "utf8")): string[] {
    return mountinfo
        .split("\n")
        .map((l) => l.split(" ")[4])
        .filter((m): m is string => !!m && (m === dir || m.startsWith(`${dir}/`)))
        .sort((a, b) => b.length - a.length);
}

/** PIDs of the processes whose root is this chroot: ours by construction, nobody else enters our marked directory. */
function processesIn(root: string): number[] {
    const pids: number[] = [];
    for (const p of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(p)) continue;
        try {
            if (fs.readlinkSync(`/proc/${p}/root`) === root) pids.push(Number(p));
        } catch {
            // gone meanwhile, or a kernel thread
        }
    }
    return pids;
}

async function stopProcesses(root: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
        const pids = processesIn(root);
        if (!pids.length) return;
        for (const pid of pids) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // exited meanwhile
            }
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`processes still running in ${root} after 10 s: ${processesIn(root).join(" ")}`);
}

/**
 * The guest's file system: an overlay of the base image (never written), its own /proc, a minimal
 * /dev (no host devices), and private /run and /dev/shm.
 */
async function mountRoot(spec: GuestSpec, p: ReturnType<typeof paths>): Promise<void> {
    await run("mount", ["-t", "overlay", "vtb-native", "-o", `lowerdir=${spec.rootfs},upperdir=${p.upper},workdir=${p.work}`, p.root]);
    await run("mount", ["-t", "proc", "proc", path.join(p.root, "proc")]);
    await run("mount", ["-t", "sysfs", "-o", "ro,nosuid,nodev,noexec", "sysfs", path.join(p.root, "sys")]);
    await run("mount", ["-t", "tmpfs", "-o", "mode=755,nosuid", "vtb-run", path.join(p.root, "run")]);
    const dev = path.join(p.root, "dev");
    await run("mount", ["-t", "tmpfs", "-o", "mode=755,nosuid,size=1m", "vtb-dev", dev]);
    const nodes: [string, number, number][] = [
        ["null", 1, 3],
        ["zero", 1, 5],
        ["full", 1, 7],
        ["random", 1, 8],
        ["urandom", 1, 9],
        ["tty", 5, 0],
    ];
    for (const [n, major, minor] of nodes) await run("mknod", ["-m", "666", path.join(dev, n), "c", String(major), String(minor)]);
    for (const d of ["pts", "shm"]) fs.mkdirSync(path.join(dev, d));
    await run("mount", ["-t", "devpts", "-o", "newinstance,ptmxmode=0666,mode=620", "vtb-pts", path.join(dev, "pts")]);
    fs.symlinkSync("pts/ptmx", path.join(dev, "ptmx"));
    await run("mount", ["-t", "tmpfs", "-o", "mode=1777,nosuid,nodev", "vtb-shm", path.join(dev, "shm")]);
}

/** A network namespace of the guest's own, linked to the stack's bridge by a veth pair. */
async function plugNetwork(spec: GuestSpec): Promise<string> {
    const link = hostLinkName(spec.name);
    await run("ip", ["netns", "add", spec.name]);
    await run("ip", ["link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", spec.name]);
    await markLink(link, spec.owner);
    await run("ip", ["link", "set", link, "master", spec.bridge, "up"]);
    await run("ip", ["-n", spec.name, "link", "set", "lo", "up"]);
    await run("ip", ["-n", spec.name, "link", "set", "eth0", "address", macAddress(spec.name)]);
    await run("ip", ["-n", spec.name, "addr", "add", spec.cidr, "dev", "eth0"]);
    await run("ip", ["-n", spec.name, "link", "set", "eth0", "up"]);
    return link;
}

async function createNative(spec: GuestSpec): Promise<GuestInfo> {
    const start = Date.now();
    const p = paths(spec.name);
    // A guest of this name that is not ours is refused; our own leftover (an interrupted up) is removed.
    if (claim("native guest", spec.name, dirState(p.dir), spec.owner) === "reclaim") await nativeDriver.delete(spec.name, spec);
    if (fs.existsSync(p.netns)) throw new Error(`network namespace ${spec.name} exists and is not ours: refusing to touch it`);
    await claimLink("veth", hostLinkName(spec.name), spec.owner);
    markDir(p.dir, spec.owner);
    fs.writeFileSync(path.join(p.dir, "rootfs"), `${spec.rootfs}\n`);
    for (const d of [p.upper, p.work, p.root]) fs.mkdirSync(d, { recursive: true });
    const address = spec.cidr.split("/")[0];
    writeFileUnder(p.upper, "etc/hosts", `127.0.0.1 localhost\n${address} ${spec.name}\n127.0.1.1 ${os.hostname()}\n`);
    writeFileUnder(p.upper, "root/.ssh/authorized_keys", `${spec.authorizedKey}\n`, 0o600);
    fs.chmodSync(path.join(p.upper, "root/.ssh"), 0o700);
    const sshHostKey = installHostKey(p.upper, await newHostKey(spec.name));
    await mountRoot(spec, p);
    const link = await plugNetwork(spec);
    fs.mkdirSync(path.join(p.root, "run", "sshd"), { recursive: true });
    const provisionSeconds = (Date.now() - start) / 1000;

    const boot = Date.now();
    await run("nsenter", [`--net=${p.netns}`, "chroot", p.root, "/usr/sbin/sshd"], { timeoutMs: 30_000 });
    await waitForPort(address, 22, 60);
    return {
        address,
        platform: "native",
        emulated: false,
        provisionSeconds,
        bootToReadySeconds: (Date.now() - boot) / 1000,
        sshHostKey,
        details: {
            chroot: p.root,
            netns: spec.name,
            veth: link,
            baseRootfs: spec.rootfs,
            platformVersion: `native: chroot + network namespace, kernel ${os.release()}`,
            appliedMemoryMiB: Math.round(os.totalmem() / 1048576),
            appliedVcpus: os.cpus().length,
            appliedCpuPercent: NOT_LIMITED,
            appliedDiskReadIops: NOT_LIMITED,
            appliedDiskWriteIops: NOT_LIMITED,
            appliedDiskReadMBps: NOT_LIMITED,
            appliedDiskWriteMBps: NOT_LIMITED,
            appliedNetInMbps: NOT_LIMITED,
            appliedNetOutMbps: NOT_LIMITED,
        },
    };
}

/** The roles on the bare host, each in a chroot of the base image with a network namespace of its own. */
export const nativeDriver: PlatformDriver = {
    platform: "native",

    create: createNative,

    async status(name: string, spec: GuestSpec): Promise<GuestStatus> {
        const p = paths(name);
        if (!dirIsOurs(p.dir, spec.owner)) return "gone";
        const sshdPid = Number((await tryRun("cat", [path.join(p.root, "run", "sshd.pid")]))?.trim());
        return fs.existsSync(p.netns) && processesIn(p.root).includes(sshdPid) ? "running" : "stopped";
    },

    async delete(name: string, spec: GuestSpec): Promise<void> {
        const p = paths(name);
        if (!dirIsOurs(p.dir, spec.owner)) return; // gone, or another's: never touched
        await stopProcesses(p.root);
        for (const m of mountsUnder(p.dir)) await run("umount", [m]);
        if (fs.existsSync(p.netns)) await run("ip", ["netns", "del", name]);
        await deleteLinkIfOurs(hostLinkName(name), spec.owner);
        const left = mountsUnder(p.dir);
        if (left.length) throw new Error(`still mounted under ${p.dir}: ${left.join(" ")}`);
        fs.rmSync(p.dir, { recursive: true, force: true });
    },

    // A guest's directory names the base image its overlay is made of.
    async usesImage(imageDir: string): Promise<boolean> {
        const dirs = fs.existsSync(NATIVE_PATH) ? fs.readdirSync(NATIVE_PATH).map((d) => path.join(NATIVE_PATH, d, "rootfs")) : [];
        return dirs.some((f) => fs.existsSync(f) && fs.readFileSync(f, "utf8").includes(imageDir));
    },
    forgetImage: () => undefined,
};
