// A remote host, for real: a test host with its own kernel, reached over SSH with its key pinned.
// First the preflight of a stack that names it (ssh://root@<it>): an unreachable port, a key that
// is not the pinned one, a refused login and a host without LXC are each refused with the setting
// and what was checked. Then lxc on cgroup v2 (this machine's controllers are on v1): the host mounts the unified
// hierarchy as systemd does at boot and gets Debian's LXC; containers run from the testbed's own
// configuration, their caps are read back and one is seen to hold; a controller bound to a v1
// hierarchy is left out and reported as not applied; a host without the controllers every
// container needs is refused before anything is made.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseConfig, TestbedConfig } from "../../components/config";
import { preflight } from "../../components/hostPreflight";
import { ed25519KeyPair } from "../../components/lib/ssh";
import { bootTestHost, lxcPackages, onTestHost, stopTestHost, TestHost, uploadToTestHost } from "../fixtures/testHost";
import { CGROUP_FACTS_SCRIPT, CgroupFacts, parseCgroupFacts } from "../../components/lib/cgroups";
import { cacheDir } from "../../components/lib/exec";
import { lxcConfig } from "../../components/platforms/lxc/lxcConfig";
import { parseReadBack, readBackFiles } from "../../components/platforms/lxc/cgroupLimits";
import { checkControllers, LxcSettings, lxcPlatform } from "../../components/platforms/lxc";
import { lxcMemory } from "../../components/platforms/lxc/memory";
import type { GuestSpec } from "../../components/platforms/driver";

const BRIDGE = "vtbc0";

function containerSpec(name: string, limits: GuestSpec["limits"]): GuestSpec<LxcSettings> {
    return {
        name,
        role: "broker",
        vcpus: 1,
        memoryMiB: 256,
        limits,
        cpuset: "1",
        cidr: `10.99.0.${name.endsWith("1") ? 10 : 11}/24`,
        bridge: BRIDGE,
        // The test host's third disk: the base image, read-only (privileged: no id-shifted copy to make under emulation).
        rootfs: "/srv/base",
        owner: "virt-testbed:test/cgroup-v2",
        authorizedKey: "",
        settings: { privileged: true, pidsMax: 512 },
        host: { kind: "local" },
    };
}

const ROOT = path.resolve(__dirname, "..", "..");

describe("a remote host (a test host with its own kernel, over SSH)", function () {
    this.timeout(1_800_000);
    let host: TestHost | undefined;
    let keys = "";
    let facts: CgroupFacts;
    let dev = "";

    const readFacts = async () => parseCgroupFacts(await onTestHost(host as TestHost, CGROUP_FACTS_SCRIPT));

    /** Writes the testbed's configuration for the container and starts it; returns the configuration. */
    async function start(spec: GuestSpec<LxcSettings>): Promise<string> {
        const config = lxcConfig(spec, dev, spec.rootfs, facts);
        const dir = `/var/lib/lxc/${spec.name}`;
        await onTestHost(
            host as TestHost,
            [
                `mkdir -p ${dir}/delta0`,
                `cat > ${dir}/config <<'VTB_EOF'\n${config}VTB_EOF`,
                `lxc-start -n ${spec.name} -d -l INFO -o ${dir}/lxc.log || { cat ${dir}/lxc.log >&2; exit 1; }`,
                `lxc-wait -n ${spec.name} -s RUNNING -t 60`,
            ].join("\n"),
        );
        return config;
    }

    async function readBack(spec: GuestSpec<LxcSettings>) {
        const files = readBackFiles(spec, facts);
        const out = await onTestHost(host as TestHost, files.map((f) => `echo "== ${f}"; lxc-cgroup -n ${spec.name} ${f}`).join("\n"));
        const values: Record<string, string> = {};
        for (const part of out.split(/^== /m).filter(Boolean)) {
            const [file, ...rest] = part.split("\n");
            values[file.trim()] = rest.join("\n").trim();
        }
        return parseReadBack(spec, facts, values, dev);
    }

    const destroy = (name: string) => onTestHost(host as TestHost, `lxc-stop -n ${name} -k 2>/dev/null || true; rm -rf /var/lib/lxc/${name}`);

    before(async () => {
        host = await bootTestHost("10.231.246");
        keys = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-remote-"));
        fs.writeFileSync(path.join(keys, "id"), host.ssh.privateKey, { mode: 0o600 });
        fs.writeFileSync(path.join(keys, "other"), (await ed25519KeyPair("other")).privateKey, { mode: 0o600 });
    });

    after(async () => {
        await stopTestHost(host);
        if (keys) fs.rmSync(keys, { recursive: true, force: true });
    });

    /** A stack's settings naming the test host; `over` replaces any of them. */
    const remoteStack = (over: Record<string, unknown> = {}): TestbedConfig =>
        parseConfig({
            platform: "lxc",
            host: `ssh://root@${host?.ssh.address}`,
            hostKey: host?.ssh.hostKey,
            hostIdentity: path.join(keys, "id"),
            network: { bridge: "vtb-remote0", subnet: "10.231.245.0/24" },
            ...over,
        });
    const refusal = (config: TestbedConfig) => {
        try {
            preflight(config, "remote", "virt-testbed:test/remote", ROOT);
        } catch (e) {
            return String(e);
        }
        return "accepted";
    };

    it("refuses, before anything is made, a port nobody answers, a key that is not the pinned one, a refused login, and a host without LXC", () => {
        const at = host?.ssh.address;
        expect(refusal(remoteStack({ host: `ssh://root@${at}:2` }))).to.match(
            new RegExp(`virt-testbed:host: could not reach root@${at}:2 over SSH: .*Connection refused`),
        );
        const other = execFileSync("ssh-keygen", ["-y", "-f", path.join(keys, "other")], { encoding: "utf8" }).trim();
        expect(refusal(remoteStack({ hostKey: other }))).to.match(/virt-testbed:hostKey: root@10\.231\.246\.2 did not present the pinned host key/);
        expect(refusal(remoteStack({ hostKey: `SHA256:${"A".repeat(43)}` }))).to.match(
            /virt-testbed:hostKey: .* offers .*SHA256:\S+ \(ED25519\).*, none of them the pinned SHA256:A+/,
        );
        expect(refusal(remoteStack({ hostIdentity: path.join(keys, "other") }))).to.match(
            /virt-testbed:hostIdentity: root@10\.231\.246\.2 refused to log in with .*other.*Permission denied/,
        );
        expect(refusal(remoteStack())).to.match(/virt-testbed:host: root@10\.231\.246\.2 has no lxc-start \(checked with command -v\)/);
    });

    it("pins the host by its SHA256 fingerprint as well as by its key", () => {
        const fingerprint = execFileSync("ssh-keygen", ["-lf", "-"], { input: `${host?.ssh.hostKey}\n`, encoding: "utf8" }).split(" ")[1];
        expect(refusal(remoteStack({ hostKey: fingerprint }))).to.match(/has no lxc-start/);
    });

    describe("with Debian's LXC on cgroup v2", () => {
        before(async () => {
            host = host as TestHost;
            const t0 = Date.now();
            await uploadToTestHost(host, lxcPackages(host.rootfs, cacheDir()), "/root/lxc-debs");
            // As systemd does at boot on Debian 12: the unified hierarchy with the controllers delegated
            // to children, securityfs, and AppArmor's profiles for containers loaded.
            await onTestHost(
                host,
                [
                    "mount -t cgroup2 cgroup2 /sys/fs/cgroup",
                    'echo "+cpuset +cpu +io +memory +pids" > /sys/fs/cgroup/cgroup.subtree_control',
                    "mount -t securityfs securityfs /sys/kernel/security",
                    // No init system here to start lxc-net: its packages install without starting services.
                    "printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d",
                    "DEBIAN_FRONTEND=noninteractive dpkg -i /root/lxc-debs/*.deb >/root/dpkg.log 2>&1 || { tail -20 /root/dpkg.log >&2; exit 1; }",
                    "apparmor_parser -r -W /etc/apparmor.d/lxc-containers",
                    "mkdir -p /srv/base && mount -o ro /dev/vdc /srv/base",
                    `ip link add ${BRIDGE} type bridge && ip addr add 10.99.0.1/24 dev ${BRIDGE} && ip link set ${BRIDGE} up`,
                ].join("\n"),
                900_000,
            );
            dev = (await onTestHost(host, "mountpoint -d /")).trim();
            console.log(
                `test host ${host.ssh.address}: booted, LXC installed and cgroup v2 mounted in ${((Date.now() - t0) / 1000).toFixed(0)} s after boot; root disk ${dev}`,
            );
        });

        it("passes an lxc stack's preflight there, which then says remote provisioning is not built yet", () => {
            // A 1 GiB test host is smaller than the default topology: overcommit lets the checks go on to the end.
            expect(refusal(remoteStack({ overcommit: true }))).to.match(
                /virt-testbed:host: root@10\.231\.246\.2 passed the checks \(kernel 6\.\S+, 2 cores, \d+ MiB, cgroup v2\), but lxc stacks on a remote host are not provisioned yet/,
            );
        });

        it("reads the host's hierarchy and delegated controllers over SSH, and accepts it", async () => {
            facts = await readFacts();
            expect(facts.hierarchy).to.equal("v2");
            expect(facts.controllers).to.include.members(["cpu", "cpuset", "io", "memory", "pids"]);
            expect(() => checkControllers(facts, host?.ssh.address ?? "")).not.to.throw();
        });

        it("starts a container from the testbed's v2 configuration, and the kernel holds every cap", async () => {
            const spec = containerSpec("vtb-cg2-c1", { cpuPercent: 50, diskIops: 300, diskMBps: 20, netMbps: 0 });
            const config = await start(spec);
            expect(config)
                .to.contain("lxc.cgroup2.cpu.max = 50000 100000")
                .and.not.match(/^lxc\.cgroup\./m);
            const back = await readBack(spec);
            expect(back).to.include({
                appliedCpuPercent: 50,
                appliedMemoryMiB: 256,
                appliedPidsMax: 512,
                appliedCpuset: "1",
                appliedDiskReadIops: 300,
                appliedDiskWriteIops: 300,
                appliedDiskReadMBps: 20,
                appliedDiskWriteMBps: 20,
            });
        });

        it("counts the container's CPU time (cpu.stat) and memory (memory.current), and the CPU cap holds a busy loop to its share", async () => {
            const name = "vtb-cg2-c1";
            const probe = lxcPlatform.cpuSecondsProbe?.(name) as string;
            const out = await onTestHost(
                host as TestHost,
                [
                    `a=$(${probe}); t0=$(date +%s.%N)`,
                    `lxc-attach -n ${name} -- timeout 6 sh -c 'while :; do :; done' || true`,
                    `t1=$(date +%s.%N); b=$(${probe})`,
                    `echo "$a $b $t0 $t1 $(${lxcMemory.guestBytes(name)})"`,
                ].join("\n"),
            );
            const [a, b, t0, t1, memory] = out.trim().split(/\s+/).map(Number);
            const share = (b - a) / (t1 - t0);
            console.log(`busy loop under a 50 % cap: ${(share * 100).toFixed(1)} % of a core over ${(t1 - t0).toFixed(1)} s; memory.current ${memory} B`);
            expect(b - a).to.be.greaterThan(0);
            // The cap is 50 % of one core; CFS enforces it per 100 ms period.
            expect(share).to.be.at.most(0.6);
            expect(memory).to.be.greaterThan(0);
            const cgroup = `/sys/fs/cgroup/lxc.payload.${name}`;
            expect((await onTestHost(host as TestHost, `ls -d ${cgroup}`)).trim(), "the container's cgroup while it runs").to.equal(cgroup);
            await destroy(name);
            expect((await onTestHost(host as TestHost, `ls -d /sys/fs/cgroup/lxc.payload.${name} 2>/dev/null || true`)).trim()).to.equal("");
        });

        it("leaves out a disk cap whose controller the host does not give containers, and the read-back says why", async () => {
            // io bound to a v1 hierarchy leaves the unified one without it (as on a host that mounts it there).
            await onTestHost(
                host as TestHost,
                'echo "-io" > /sys/fs/cgroup/cgroup.subtree_control\nmkdir -p /run/vtb-blkio && mount -t cgroup -o blkio blkio /run/vtb-blkio',
            );
            facts = await readFacts();
            expect(facts.controllers).not.to.include("io");
            const spec = containerSpec("vtb-cg2-c2", { cpuPercent: 0, diskIops: 300, diskMBps: 0, netMbps: 0 });
            const config = await start(spec);
            expect(config).not.to.contain("io.max");
            const back = await readBack(spec);
            expect(back.appliedDiskReadIops).to.match(/^not applied: the io controller is not available to containers on this host's cgroup v2 hierarchy/);
            expect(back.appliedCpuPercent).to.equal(100);
            // The kernel agrees: the container's cgroup has no io controller to throttle with.
            const controllers = await onTestHost(host as TestHost, `cat /sys/fs/cgroup/lxc.payload.${spec.name}/cgroup.controllers`);
            expect(controllers.split(/\s+/)).to.include("memory").and.not.include("io");
            await destroy(spec.name);
        });

        it("refuses, in an up's preflight, a host whose hierarchy gives containers no pids controller", async () => {
            // pids, not memory: a removed container's memory cgroups linger while pages are charged to them, and keep memory on v2.
            await onTestHost(
                host as TestHost,
                'echo "-pids" > /sys/fs/cgroup/cgroup.subtree_control\nmkdir -p /run/vtb-pids && mount -t cgroup -o pids pids /run/vtb-pids',
            );
            expect(refusal(remoteStack({ overcommit: true }))).to.match(
                /virt-testbed:platform: lxc caps every container's CPU, memory and tasks, but root@10\.231\.246\.2's cgroup v2 hierarchy gives containers no pids controller \(\/sys\/fs\/cgroup\/cgroup.controllers lists: [^)]*\)/,
            );
        });
    });
});
