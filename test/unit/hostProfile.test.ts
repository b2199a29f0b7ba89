import { expect } from "chai";
import { execFileSync } from "child_process";
import { dom0Evidence, HOST_PROFILE_SCRIPT, HostProfile, isDom0, localHostProfile, parseHostProfile } from "../../components/platforms/common/hostProfile";
import { lxcPlatform } from "../../components/platforms/lxc";
import { xenPlatform } from "../../components/platforms/xen";
import { kvmPlatform } from "../../components/platforms/kvm";
import type { PreflightHost } from "../../components/platforms/platform";

/** What the profile script prints on a Debian 12 dom0 with Xen's toolstack and cgroup v2. */
const DOM0 = [
    "kernel=6.1.0-50-amd64",
    "cores=8",
    "memoryKiB=16303840",
    "userns=63373",
    "xen=yes",
    "xencaps=control_d ",
    "kvm=no",
    "tool.lxc-start=no",
    "tool.virsh=no",
    "tool.xl=yes",
    "tool.qemu-system-x86_64=no",
    "--subuid",
    "alice:100000:65536",
    "--subgid",
    "alice:100000:65536",
    "--cgroup",
    "cgroup2fs",
    "none",
    "cpuset cpu io memory pids",
    "cpuset cpu io memory pids ",
    "",
].join("\n");

const host = (profile: HostProfile, kind: PreflightHost["kind"] = "ssh"): PreflightHost => ({ kind, profile, where: "root@dom0" });

describe("a host's profile", () => {
    it("reads what the script prints: size, namespaces, id ranges, Xen, tools, cgroups", () => {
        const p = parseHostProfile(DOM0);
        expect(p).to.deep.include({ kernel: "6.1.0-50-amd64", cores: 8, memoryMiB: 15921, maxUserNamespaces: "63373", xen: true, kvmDevice: false });
        expect(p.subuid).to.equal("alice:100000:65536\n");
        expect(p.tools).to.deep.equal({ "lxc-start": false, virsh: false, xl: true, "qemu-system-x86_64": false });
        expect(p.cgroups).to.deep.include({ hierarchy: "v2", controllers: ["cpuset", "cpu", "io", "memory", "pids"] });
    });

    it("reads this machine the same way, through the same script", () => {
        const p = localHostProfile();
        expect(p.cores).to.equal(Number(execFileSync("nproc", { encoding: "utf8" }).trim()));
        expect(p.memoryMiB).to.be.greaterThan(0);
        expect(["v1", "v2", "hybrid"]).to.include(p.cgroups.hierarchy);
        expect(HOST_PROFILE_SCRIPT).to.contain("/proc/xen/capabilities");
    });

    it("tells a dom0 from a domU and from a kernel without Xen, and says what it looked at", () => {
        const p = parseHostProfile(DOM0);
        expect(isDom0(p)).to.equal(true);
        expect(isDom0({ ...p, xenCapabilities: "" })).to.equal(false);
        expect(dom0Evidence({ xen: false, xenCapabilities: "" })).to.equal("/proc/xen does not exist (no Xen beneath this kernel)");
        expect(dom0Evidence({ xen: true, xenCapabilities: "" })).to.match(/empty or unreadable \(a domU, or xenfs not mounted\)/);
    });
});

describe("platform preflights on a host's profile", () => {
    const dom0 = parseHostProfile(DOM0);

    it("xen: refuses a host that is not a dom0, naming what was checked; one without xl; and says a real dom0 is not provisioned yet", () => {
        const noXen = { ...dom0, xen: false, xenCapabilities: "" };
        expect(() => xenPlatform.preflight?.({ guestType: "pv", dom0MemoryMiB: 1024 }, host(noXen, "local"))).to.throw(
            /virt-testbed:host: root@dom0's kernel is not a Xen dom0: \/proc\/xen does not exist.*Use host: nested/,
        );
        expect(() => xenPlatform.preflight?.({ guestType: "pv", dom0MemoryMiB: 1024 }, host({ ...dom0, tools: { ...dom0.tools, xl: false } }))).to.throw(
            /has no xl/,
        );
        expect(() => xenPlatform.preflight?.({ guestType: "pv", dom0MemoryMiB: 1024 }, host(dom0))).to.throw(
            /virt-testbed:host: root@dom0 passed the checks \(kernel 6.1.0-50-amd64, 8 cores, 15921 MiB, cgroup v2\), but xen stacks on a remote host are not provisioned yet/,
        );
        // The nested host is the stack's own: nothing of this machine to check.
        expect(() => xenPlatform.preflight?.({ guestType: "pv", dom0MemoryMiB: 1024 }, host(noXen, "nested"))).not.to.throw();
    });

    it("kvm: refuses a remote host without libvirt's client; this machine's set-up installs its own", () => {
        expect(() => kvmPlatform.preflight?.({ nicModel: "virtio", accel: "auto" }, host(dom0))).to.throw(/virt-testbed:host: root@dom0 has no virsh/);
        expect(() => kvmPlatform.preflight?.({ nicModel: "virtio", accel: "auto" }, host(dom0, "local"))).not.to.throw();
    });

    it("lxc: refuses a host without LXC's tools, or without the controllers or namespaces its containers need", () => {
        const lxcHost = { ...dom0, tools: { ...dom0.tools, "lxc-start": true } };
        expect(() => lxcPlatform.preflight?.({ privileged: false, pidsMax: 4096 }, host(dom0))).to.throw(
            /virt-testbed:host: root@dom0 has no lxc-start.*apt-get install lxc/,
        );
        expect(() => lxcPlatform.preflight?.({ privileged: false, pidsMax: 4096 }, host(lxcHost))).not.to.throw();
        expect(() => lxcPlatform.preflight?.({ privileged: false, pidsMax: 4096 }, host({ ...lxcHost, maxUserNamespaces: "0" }))).to.throw(
            /root@dom0's kernel allows no user namespaces/,
        );
        const noPids = { ...lxcHost, cgroups: { ...lxcHost.cgroups, controllers: ["cpu", "memory"] } };
        expect(() => lxcPlatform.preflight?.({ privileged: true, pidsMax: 4096 }, host(noPids))).to.throw(
            /root@dom0's cgroup v2 hierarchy gives containers no pids controller/,
        );
    });
});
