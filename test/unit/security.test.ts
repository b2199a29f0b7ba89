// The security facts: each parser, the facts of this machine read by the real scripts, and how
// guests and their host processes become samples (container, VM, Xen domain).
import { expect } from "chai";
import { execFileSync } from "child_process";
import {
    capabilityCount,
    confined,
    GUEST_FACTS_SCRIPT,
    hostFactsScript,
    listenAddress,
    parseGuestFacts,
    parseHostFacts,
    rootMapping,
    sameKernel,
} from "../../workloads/harness/security/facts";
import { securitySamples } from "../../workloads/harness/benchmarks/security";
import { aggregate } from "../../workloads/harness/suite";
import { securitySection, securityVerdict } from "../../compare/security";
import { snapshot } from "../fixtures/stacks";

const HOST_BOOT = 1_700_000_000;
const BUILD = "Linux version 6.1.0-guest (debian-kernel@lists.debian.org) #1 SMP";

function guestOutput(over: { boot?: number; uidMap?: string; capEff?: string; seccomp?: number; label?: string } = {}): string {
    return [
        `btime ${over.boot ?? HOST_BOOT}`,
        `build ${BUILD}`,
        "kernel 6.1.0-guest",
        `uid_map ${over.uidMap ?? "0 0 4294967295"}`,
        `CapEff ${over.capEff ?? "000001ffffffffff"}`,
        "NoNewPrivs 0",
        `Seccomp ${over.seccomp ?? 0}`,
        "cap_last_cap 40",
        "device_nodes 12",
        "block_devices 0",
        "kernel_log readable",
        "lsm none",
        `label ${over.label ?? ""}`,
        "listen 00000000:0016",
        "listen 0100007F:1538",
        "listen 00000000000000000000000000000000:0016",
    ].join("\n");
}

const hostOutput = (process: string) => `btime ${HOST_BOOT + 1}\nbuild ${BUILD}\nkernel 6.1.0-host\n${process}`;
const QEMU = "comm qemu-system-x86\nUid 64055 64055 64055 64055\nCapEff 0000000000000000\nNoNewPrivs 0\nSeccomp 2\nlabel \nsandbox on";
const LXC_INIT = "comm tini\nUid 0 0 0 0\nCapEff 000001ffffffffff\nNoNewPrivs 0\nSeccomp 0\nlabel \nsandbox off";

function observed(guest: string, host: string) {
    return { guest: "core@10.0.0.10", facts: parseGuestFacts(guest, "core"), host: parseHostFacts(host, "host") };
}

const value = (samples: ReturnType<typeof securitySamples>, q: string) => samples.find((s) => s.quantity === q)?.value;

describe("security facts", () => {
    it("counts the capabilities of a mask", () => {
        expect(capabilityCount("000001ffffffffff")).to.equal(41);
        expect(capabilityCount("000001fffeffffff")).to.equal(40);
        expect(capabilityCount("0000000000000000")).to.equal(0);
    });

    it("finds what uid 0 maps to: itself, a subordinate range, or nothing", () => {
        expect(rootMapping(["0 0 4294967295"])).to.equal(0);
        expect(rootMapping(["0 100000 65536"])).to.equal(100000);
        expect(rootMapping(["1 100001 65535"])).to.equal(-1);
        expect(rootMapping([])).to.equal(-1);
    });

    it("names listening addresses by kind, IPv4 and IPv6", () => {
        expect(listenAddress("00000000:0016")).to.equal("any:22");
        expect(listenAddress("0100007F:1538")).to.equal("loopback:5432");
        expect(listenAddress("0A00000A:1628")).to.equal("address:5672");
        expect(listenAddress("00000000000000000000000001000000:0016")).to.equal("loopback:22");
    });

    it("tells one kernel from another by build and boot time, not by version alone", () => {
        const host = { build: "Linux version 6.1.0 #1", bootTime: 1000 };
        expect(sameKernel(host, { ...host, bootTime: 1001 }), "btime rounds").to.equal(true);
        expect(sameKernel(host, { ...host, bootTime: 1100 }), "a VM of the same build, booted later").to.equal(false);
        expect(sameKernel(host, { ...host, build: "Linux version 6.1.0 #2" })).to.equal(false);
    });

    it("takes unconfined and absent labels for no confinement", () => {
        expect(confined("")).to.equal(false);
        expect(confined("unconfined")).to.equal(false);
        expect(confined("system_u:system_r:unconfined_t:s0")).to.equal(false);
        expect(confined("lxc-container-default-cgroup (enforce)")).to.equal(true);
    });

    it("parses a guest's facts and refuses output that lacks one", () => {
        const f = parseGuestFacts(guestOutput({ uidMap: "0 100000 65536", seccomp: 2 }), "core");
        expect(f).to.include({ rootMapsTo: 100000, capabilities: 41, capabilitiesKnown: 41, seccomp: 2, deviceNodes: 12, kernelLogReadable: true });
        expect(f.listening).to.deep.equal(["any:22", "loopback:5432"]);
        expect(() => parseGuestFacts(`btime 1\nbuild ${BUILD}\nkernel y`, "core")).to.throw(/security facts of core: no "CapEff"/);
        expect(() => parseGuestFacts("btime x\nbuild y", "core")).to.throw(/btime is not a time/);
    });

    it("reads this machine's facts with the real scripts", () => {
        const guest = parseGuestFacts(execFileSync("/bin/sh", ["-ec", GUEST_FACTS_SCRIPT], { encoding: "utf8" }), "this machine");
        const host = parseHostFacts(execFileSync("/bin/sh", ["-ec", hostFactsScript("echo $$")], { encoding: "utf8" }), "this machine");
        expect(sameKernel(guest.running, host.running)).to.equal(true);
        expect(guest.running.build).to.match(/^Linux version /);
        expect(guest.running.bootTime).to.be.within(1e9, Date.now() / 1000);
        expect(guest.capabilitiesKnown).to.be.greaterThan(30);
        expect(host.process?.comm).to.equal("sh");
        expect(host.process?.uid).to.equal(process.getuid!());
        expect(parseHostFacts(execFileSync("/bin/sh", ["-ec", hostFactsScript("true")], { encoding: "utf8" }), "x").noProcess).to.equal(true);
    });

    it("a privileged container: shared kernel, its root is the host's, run by a root init", () => {
        const s = securitySamples([observed(guestOutput(), hostOutput(LXC_INIT))]);
        expect(value(s, "shared_kernel")).to.equal(1);
        expect(value(s, "root_is_host_root")).to.equal(1);
        expect(value(s, "host_kernel_log_readable")).to.equal(1);
        expect(value(s, "host_process_root")).to.equal(1);
        expect(value(s, "host_process_sandboxed")).to.equal(undefined);
        expect(value(s, "listening_sockets")).to.equal(2);
    });

    it("an unprivileged container: shared kernel, its root maps to a subordinate uid", () => {
        const s = securitySamples([
            observed(guestOutput({ uidMap: "0 100000 65536" }), hostOutput(LXC_INIT.replace("Uid 0 0 0 0", "Uid 100000 100000 100000 100000"))),
        ]);
        expect(value(s, "shared_kernel")).to.equal(1);
        expect(value(s, "root_is_host_root")).to.equal(0);
        expect(value(s, "host_process_root")).to.equal(0);
    });

    it("a VM: its own kernel, so its root and kernel log are its own; QEMU's user and sandbox count", () => {
        const s = securitySamples([observed(guestOutput({ boot: HOST_BOOT + 3600 }), hostOutput(QEMU))]);
        expect(value(s, "shared_kernel")).to.equal(0);
        expect(value(s, "root_is_host_root")).to.equal(0);
        expect(value(s, "host_kernel_log_readable")).to.equal(0);
        expect(value(s, "host_process_root")).to.equal(0);
        expect(value(s, "host_process_sandboxed")).to.equal(1);
    });

    it("a Xen domain: no host process, said so on every fact", () => {
        const s = securitySamples([observed(guestOutput({ boot: HOST_BOOT + 120 }), hostOutput("no_process"))]);
        expect(value(s, "host_process_root")).to.equal(undefined);
        for (const f of s) expect(f.params?.hostProcess, f.quantity).to.match(/hypervisor runs the guest/);
    });

    it("takes the worst guest where guests differ", () => {
        const s = securitySamples([
            observed(guestOutput({ boot: HOST_BOOT + 60, capEff: "0000000000000001", seccomp: 2 }), hostOutput(QEMU)),
            observed(guestOutput({ boot: HOST_BOOT + 90, capEff: "00000000000000ff", seccomp: 0 }), hostOutput(QEMU.replace("sandbox on", "sandbox off"))),
        ]);
        expect(value(s, "init_capabilities")).to.equal(8);
        expect(value(s, "init_seccomp_filter")).to.equal(0);
        expect(value(s, "host_process_sandboxed")).to.equal(0);
        expect(value(s, "listening_sockets")).to.equal(4);
    });
});

describe("compare: security facts", () => {
    const twice = (name: string, platform: string, guest: string, host: string) => {
        const samples = securitySamples([observed(guest, host)]);
        return snapshot(name, platform, platform !== "lxc", aggregate("security", [samples, samples]));
    };
    const lxc = twice("lxc", "lxc", guestOutput(), hostOutput(LXC_INIT));
    const kvm = twice("kvm", "kvm", guestOutput({ boot: HOST_BOOT + 30 }), hostOutput(QEMU));
    const xen = twice("xen", "xen", guestOutput({ boot: HOST_BOOT + 200 }), hostOutput("no_process"));

    it("tables each fact per stack, with what was read, and says where a stack has no host process", () => {
        const t = securitySection([lxc, kvm, xen])!;
        expect(t.columns).to.deep.equal(["fact", "lxc", "kvm (emulated)", "xen (emulated)"]);
        const row = (name: string) => t.rows.find((r) => r[0] === name)!;
        expect(row("guest root is host root").slice(1, 3)).to.deep.equal(["YES (core@10.0.0.10: 0)", "no (core@10.0.0.10: its own kernel's)"]);
        expect(row("capabilities of the guest's init")[1]).to.equal("41 of 41");
        expect(row("host process runs as root")[3]).to.match(/^none: the hypervisor runs the guest/);
        expect(row("QEMU sandbox (-sandbox on)")[2]).to.equal("yes");
    });

    it("gives a verdict line per stack", () => {
        expect(securityVerdict([lxc, kvm])).to.equal(
            "security: lxc: shares the host's kernel, guest root IS host root, init holds 41 of 41 capabilities, no seccomp, no LSM, reads the host's kernel log, its host process runs as root; " +
                "kvm (emulated): own kernel, init holds 41 of 41 capabilities, no seccomp, no LSM, its host process is not root, QEMU sandboxed",
        );
        expect(securitySection([])).to.equal(undefined);
    });
});
