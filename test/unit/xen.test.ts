import { expect } from "chai";
import { xlConfig, DomUSpec } from "../../components/platforms/xen/xlConfig";
import { nestedQemuArgs, parseXlInfo, xenCmdline } from "../../components/platforms/xen/nestedHostMachine";
import { parseXlList, parseXlSchedCredit, parseXlVcpuAffinity } from "../../components/platforms/xen/xlReadBack";
import { cleanupScript, diskScript, startScript } from "../../components/platforms/xen/driver";
import { expectGolden } from "./golden";

const domU: DomUSpec = {
    name: "vtb-xen-core",
    type: "pv",
    vcpus: 1,
    cpuPercent: 100,
    memoryMiB: 2048,
    kernel: "/boot/vmlinuz-6.1.0-50-amd64",
    ramdisk: "/boot/initrd.img-6.1.0-50-amd64",
    disk: "/dev/mapper/vtb-xen-core",
    seed: "/var/lib/vtb/guests/vtb-xen-core/seed.img",
    bridge: "xenbr0",
    mac: "02:aa:bb:cc:dd:ee",
    vifName: "vtb0123456789",
};

describe("xen domU configuration", () => {
    it("PV matches the golden file", () => expectGolden("xen-pv.cfg", xlConfig(domU)));
    it("PVH with two vCPUs matches the golden file", () =>
        expectGolden("xen-pvh-2vcpu.cfg", xlConfig({ ...domU, type: "pvh", vcpus: 2, cpuPercent: 200, memoryMiB: 512 })));
    it("caps each vCPU at one physical CPU through the credit scheduler, with equal weight", () => {
        expect(xlConfig({ ...domU, vcpus: 2, cpuPercent: 50 })).to.match(/^cap = 50$/m);
        const cfg = xlConfig({ ...domU, vcpus: 3, cpuPercent: 300 });
        expect(cfg)
            .to.match(/^cap = 300$/m)
            .and.match(/^cpu_weight = 256$/m)
            .and.match(/^vcpus = 3$/m);
        expect(cfg)
            .to.match(/^memory = 2048$/m)
            .and.match(/^maxmem = 2048$/m);
    });
    it("cannot be broken out of its quotes by a name", () => {
        expect(xlConfig({ ...domU, name: 'a"; b = "c' })).to.contain('name = "a; b = c"');
    });
});

describe("nested Xen host", () => {
    const launch = {
        name: "vtb-xen-xenhost",
        images: "/img",
        memoryMiB: 4352,
        vcpus: 2,
        dom0MemoryMiB: 1024,
        disk: "/h/disk.qcow2",
        seed: "/h/seed.img",
        tap: "vtbabcdef0123",
        mac: "02:00:00:00:00:01",
        consoleLog: "/h/console.log",
        pidFile: "/h/qemu.pid",
        runAs: "libvirt-qemu",
    };
    it("boots Xen (credit scheduler, fixed dom0) with the dom0 kernel and initramfs as multiboot modules", () => {
        const args = nestedQemuArgs(launch);
        expectGolden("nested-xen-qemu.args", `${args.join("\n")}\n`);
        expect(args.join(" ")).to.contain("-accel tcg,tb-size=128 -cpu qemu64");
        expect(args[args.indexOf("-initrd") + 1]).to.match(/^\/img\/vmlinuz console=hvc0 root=\/dev\/vda .*,\/img\/initrd.img$/);
        expect(xenCmdline(768)).to.contain("dom0_mem=768M,max:768M").and.contain("sched=credit");
        // Not root, and sandboxed: what -runas and -daemonize need, nothing obsolete or resource-controlling.
        expect(args.join(" ")).to.contain("-sandbox on,obsolete=deny,elevateprivileges=allow,spawn=allow,resourcecontrol=deny -runas libvirt-qemu");
    });
    it("reads version, scheduler, capabilities and memory from xl info", () => {
        const out =
            "host                   : xhost\nnr_cpus                : 2\nvirt_caps              : pv hvm shadow gnttab-v1 gnttab-v2\ntotal_memory           : 3071\nxen_version            : 4.17.5\nxen_scheduler          : credit\n";
        expect(parseXlInfo(out)).to.deep.equal({
            xenVersion: "4.17.5",
            xenScheduler: "credit",
            virtCaps: "pv hvm shadow gnttab-v1 gnttab-v2",
            totalMemoryMiB: 3071,
        });
        expect(() => parseXlInfo("command not found")).to.throw(/xl info/);
    });
});

describe("xen driver commands (run in dom0 over SSH)", () => {
    it("makes a copy-on-write root from the base disk and its /dev/mapper node", () => {
        const s = diskScript("vtb-xen-core");
        expect(s).to.contain("losetup -f --show /var/lib/vtb/guests/vtb-xen-core/cow.img");
        expect(s).to.contain("snapshot /dev/vdc $loop P 8").and.contain("dmsetup mknodes vtb-xen-core");
    });
    it("starts one domain at a time, the lock released when xl create returns (its daemon does not keep it)", () => {
        expect(startScript("vtb-xen-apps", "vtb0123", 0)).to.contain("flock -o /run/vtb-xl-create.lock xl create /var/lib/vtb/guests/vtb-xen-apps/domu.cfg");
    });
    it("starts the domain and caps its vif only when asked", () => {
        expect(startScript("vtb-xen-apps", "vtb0123", 0)).not.to.contain("tbf");
        expect(startScript("vtb-xen-apps", "vtb0123", 200)).to.contain("tc qdisc replace dev vtb0123 root tbf rate 200mbit");
        expect(startScript("vtb-xen-apps", "vtb0123", 0)).to.contain("xl sched-credit -d vtb-xen-apps");
    });
    it("cleans up idempotently: domain, snapshot, loop device, files", () => {
        const s = cleanupScript("vtb-xen-core");
        expect(s.split("\n")).to.deep.equal([
            "xl list vtb-xen-core >/dev/null 2>&1 && xl destroy vtb-xen-core",
            "dmsetup info vtb-xen-core >/dev/null 2>&1 && dmsetup remove vtb-xen-core",
            "[ -f /var/lib/vtb/guests/vtb-xen-core/cow.img ] && losetup -j /var/lib/vtb/guests/vtb-xen-core/cow.img | cut -d: -f1 | xargs -r -n1 losetup -d",
            "rm -rf /var/lib/vtb/guests/vtb-xen-core",
            "true",
        ]);
    });
    it("reads back memory, vCPUs, credit weight and cap", () => {
        const list =
            "Name                                        ID   Mem VCPUs\tState\tTime(s)\nvtb-xen-core                                 2  2048     1     -b----       3.1\n";
        expect(parseXlList(list, "vtb-xen-core")).to.deep.equal({ memoryMiB: 2048, vcpus: 1 });
        const sched = "Name                                ID Weight  Cap\nvtb-xen-core                         2    256  100\n";
        expect(parseXlSchedCredit(sched, "vtb-xen-core")).to.deep.equal({ weight: 256, cap: 100 });
        expect(() => parseXlList(list, "other")).to.throw(/xl list/);
    });
    it("pins a domU with cpus= and reads its hard affinity back from xl vcpu-list", () => {
        expect(xlConfig({ ...domU, cpuset: "1" })).to.match(/^cpus = "1"$/m);
        expect(xlConfig(domU)).not.to.match(/^cpus/m);
        const out =
            "Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)\nvtb-xen-apps                         3     0    1   -b-       5.3  1 / all\n";
        expect(parseXlVcpuAffinity(out, "vtb-xen-apps")).to.equal("1");
        expect(() => parseXlVcpuAffinity(out, "other")).to.throw(/xl vcpu-list/);
    });
});
