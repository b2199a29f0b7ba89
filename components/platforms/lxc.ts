import * as fs from "fs";
import * as path from "path";
import { GuestInfo, GuestSpec, PlatformDriver } from "./driver";
import { LXC_PATH, lxcConfig, vethName } from "./lxcConfig";
import { run, tryRun } from "../ops/exec";
import { waitForPort } from "../ops/ssh";

function writeFile(root: string, rel: string, content: string, mode = 0o644): void {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode });
}

async function state(name: string): Promise<string | undefined> {
    const out = await tryRun("lxc-info", ["-n", name, "-s", "-H"], { timeoutMs: 10_000 });
    return out?.trim();
}

async function lxcVersion(): Promise<string> {
    return `liblxc ${(await tryRun("lxc-start", ["--version"]))?.trim() ?? "unknown"}`;
}

/** Clones the base, writes the config and boots the container; returns once sshd answers. */
async function createContainer(spec: GuestSpec): Promise<GuestInfo> {
    const start = Date.now();
    await lxcDriver.delete(spec.name); // whatever an interrupted up left under this name
    const dir = path.join(LXC_PATH, spec.name);
    const upper = path.join(dir, "delta0");
    fs.mkdirSync(upper, { recursive: true });
    const address = spec.cidr.split("/")[0];
    writeFile(upper, "etc/hostname", `${spec.name}\n`);
    writeFile(upper, "etc/hosts", `127.0.0.1 localhost\n${address} ${spec.name}\n`);
    writeFile(upper, "root/.ssh/authorized_keys", `${spec.authorizedKey}\n`, 0o600);
    fs.chmodSync(path.join(upper, "root/.ssh"), 0o700);
    fs.writeFileSync(path.join(dir, "config"), lxcConfig(spec));
    const provisionSeconds = (Date.now() - start) / 1000;

    const boot = Date.now();
    await run("lxc-start", ["-n", spec.name, "-d", "-l", "INFO", "-o", path.join(dir, "lxc.log")], { timeoutMs: 60_000 });
    await waitForPort(address, 22, 60);
    // What the kernel really applied, read back from the container's cgroups.
    const cgroup = async (key: string) => Number((await run("lxc-cgroup", ["-n", spec.name, key], { timeoutMs: 10_000 })).trim());
    const quota = await cgroup("cpu.cfs_quota_us");
    const period = await cgroup("cpu.cfs_period_us");
    const memoryBytes = await cgroup("memory.limit_in_bytes");
    return {
        address,
        platform: "lxc",
        emulated: false,
        provisionSeconds,
        bootToReadySeconds: (Date.now() - boot) / 1000,
        details: {
            container: spec.name, veth: vethName(spec.name), lxcPath: LXC_PATH, baseRootfs: spec.rootfs, privileged: true,
            platformVersion: await lxcVersion(),
            appliedCpuQuotaUs: quota, appliedCpuPeriodUs: period, appliedMemoryMiB: memoryBytes / 1048576,
        },
    };
}

/** LXC containers on the local host through liblxc's command-line tools. */
export const lxcDriver: PlatformDriver = {
    platform: "lxc",

    create: createContainer,

    async isRunning(name: string): Promise<boolean> {
        return (await state(name)) === "RUNNING";
    },

    async delete(name: string): Promise<void> {
        if ((await state(name)) === "RUNNING") await run("lxc-stop", ["-n", name, "-k"], { timeoutMs: 60_000 });
        // Not lxc-destroy: our own directory holds config, overlay upper and work dirs, and
        // removing it can never reach the shared base image.
        fs.rmSync(path.join(LXC_PATH, name), { recursive: true, force: true });
        const veth = vethName(name);
        if (await tryRun("ip", ["link", "show", "dev", veth])) await tryRun("ip", ["link", "del", "dev", veth]);
    },
};
