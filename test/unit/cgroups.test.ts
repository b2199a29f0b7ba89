import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CgroupFacts, hierarchyOf, parseCgroupFacts, perHierarchy } from "../../components/lib/cgroups";
import { parseReadBack, readBackFiles } from "../../components/platforms/lxc/cgroupLimits";
import { checkControllers, lxcPlatform } from "../../components/platforms/lxc";
import { lxcMemory } from "../../components/platforms/lxc/memory";
import type { GuestSpec } from "../../components/platforms/driver";

const V1: CgroupFacts = { hierarchy: "v1", controllers: ["cpuset", "cpu", "cpuacct", "blkio", "memory", "pids"], source: "/proc/cgroups" };
const V2: CgroupFacts = { hierarchy: "v2", controllers: ["cpuset", "cpu", "io", "memory", "pids"], source: "/sys/fs/cgroup/cgroup.controllers" };

const spec = {
    name: "vtb-lxc-db",
    vcpus: 1,
    memoryMiB: 512,
    limits: { cpuPercent: 50, diskIops: 300, diskMBps: 20, netMbps: 0 },
    cpuset: "1",
} as GuestSpec;

describe("cgroup hierarchies", () => {
    it("tells v1, v2 and hybrid apart by the file system types the host mounts", () => {
        expect(hierarchyOf("cgroup2fs\n", "none")).to.equal("v2");
        expect(hierarchyOf("tmpfs", "cgroup2fs")).to.equal("hybrid");
        expect(hierarchyOf("tmpfs", "none")).to.equal("v1");
    });

    it("reads the controllers a container can use: the root cgroup's on v2 (liblxc enables them itself), the enabled ones on v1", () => {
        const v2 = parseCgroupFacts("cgroup2fs\nnone\ncpuset cpu io memory pids\ncpuset cpu io memory pids misc \n");
        expect(v2).to.deep.equal({ hierarchy: "v2", controllers: ["cpuset", "cpu", "io", "memory", "pids"], source: "/sys/fs/cgroup/cgroup.controllers" });
        const v1 = parseCgroupFacts("tmpfs\nnone\n\ncpuset cpu cpuacct blkio memory pids \n");
        expect(v1.hierarchy).to.equal("v1");
        expect(v1.controllers).to.include.members(["cpu", "blkio", "memory", "pids"]);
        // A v2 root whose controllers are all bound to v1 hierarchies.
        expect(parseCgroupFacts("cgroup2fs\nnone\n\ncpu memory \n").controllers).to.deep.equal([]);
    });

    it("runs a probe's v2 or v1 script by what the host mounts when it runs", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-cgroup-"));
        try {
            const probe = () => execFileSync("sh", ["-c", perHierarchy({ v1: "echo one", v2: "echo two" }, root)], { encoding: "utf8" });
            expect(probe()).to.equal("one\n");
            fs.writeFileSync(path.join(root, "cgroup.controllers"), "cpu memory\n");
            expect(probe()).to.equal("two\n");
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
        expect(perHierarchy({ v1: "a", v2: "b" })).to.contain("[ -e /sys/fs/cgroup/cgroup.controllers ]");
    });

    it("counts a container's CPU time from cpuacct.usage (ns) on v1 and cpu.stat's usage_usec on v2", () => {
        const probe = lxcPlatform.cpuSecondsProbe?.("vtb-lxc-db") ?? "";
        expect(probe).to.contain("cpuacct.usage").and.contain("cpu.stat");
        // Each branch's awk, on what the kernel prints.
        const awk = (re: RegExp, input: string) => execFileSync("sh", ["-c", (re.exec(probe) as RegExpExecArray)[1]], { input, encoding: "utf8" });
        expect(awk(/cpuacct\.usage \| (awk [^;]*)/, "1500000000\n")).to.equal("1.500\n");
        expect(awk(/cpu\.stat \| (awk [^;]*)/, "usage_usec 2250000\nuser_usec 2000000\nsystem_usec 250000\n")).to.equal("2.250\n");
        expect(lxcMemory.guestBytes("vtb-lxc-db")).to.contain("memory.usage_in_bytes").and.contain("memory.current");
    });
});

describe("lxc caps read back", () => {
    it("asks each hierarchy's own files, and only for caps the host's controllers allow", () => {
        expect(readBackFiles(spec, V2)).to.deep.equal(["cpu.max", "memory.max", "pids.max", "cpuset.cpus", "io.max"]);
        expect(readBackFiles(spec, V1)).to.include.members(["cpu.cfs_quota_us", "memory.limit_in_bytes", "blkio.throttle.read_iops_device"]);
        expect(readBackFiles(spec, { ...V2, controllers: ["cpu", "memory", "pids"] })).to.deep.equal(["cpu.max", "memory.max", "pids.max"]);
    });

    it("reads cgroup v2's files into the keys every platform reports", () => {
        const back = parseReadBack(
            spec,
            V2,
            {
                "cpu.max": "50000 100000",
                "memory.max": "536870912",
                "pids.max": "4096",
                "cpuset.cpus": "1",
                "io.max": "254:0 rbps=max wbps=max riops=7 wiops=max\n8:0 rbps=20000000 wbps=20000000 riops=300 wiops=300",
            },
            "8:0",
        );
        expect(back).to.deep.equal({
            appliedCpuQuotaUs: 50000,
            appliedCpuPeriodUs: 100000,
            appliedCpuPercent: 50,
            appliedMemoryMiB: 512,
            appliedPidsMax: 4096,
            appliedCpuset: "1",
            appliedDiskReadIops: 300,
            appliedDiskWriteIops: 300,
            appliedDiskReadMBps: 20,
            appliedDiskWriteMBps: 20,
        });
    });

    it("reads cgroup v1's files the same way", () => {
        const back = parseReadBack(
            spec,
            V1,
            {
                "cpu.cfs_quota_us": "50000",
                "cpu.cfs_period_us": "100000",
                "memory.limit_in_bytes": "536870912",
                "pids.max": "4096",
                "cpuset.cpus": "1",
                "blkio.throttle.read_iops_device": "8:0 300",
                "blkio.throttle.write_iops_device": "8:0 300",
                "blkio.throttle.read_bps_device": "8:0 20000000",
                "blkio.throttle.write_bps_device": "8:0 20000000",
            },
            "8:0",
        );
        expect(back).to.include({ appliedCpuPercent: 50, appliedMemoryMiB: 512, appliedDiskReadIops: 300, appliedDiskWriteMBps: 20 });
    });

    it("says a cap is not applied, and why, where the kernel holds none or the host lacks its controller", () => {
        const bare = { ...V2, controllers: ["cpu", "memory", "pids"] };
        const back = parseReadBack(spec, bare, { "cpu.max": "max 100000", "memory.max": "536870912", "pids.max": "max" }, "8:0");
        expect(back.appliedCpuPercent).to.match(/^not applied/);
        expect(back.appliedPidsMax).to.equal("not applied: pids.max reads max");
        expect(back.appliedCpuset).to.match(/^not applied: the cpuset controller is not available .* cgroup v2 .*cgroup.controllers: cpu memory pids/);
        expect(back.appliedDiskReadIops).to.match(/^not applied: the io controller/);
    });
});

describe("lxc host preflight", () => {
    it("accepts a host that gives containers cpu, memory and pids", () => {
        expect(() => checkControllers(V2, "this machine")).not.to.throw();
        expect(() => checkControllers(V1, "this machine")).not.to.throw();
    });

    it("refuses one whose v2 root delegates none of them, naming what it read and the fix", () => {
        expect(() => checkControllers({ ...V2, controllers: ["cpu"] }, "this machine")).to.throw(
            /virt-testbed:platform: .*this machine's cgroup v2 hierarchy gives containers no memory, pids controller \(\/sys\/fs\/cgroup\/cgroup.controllers lists: cpu\)\. Give them to the unified hierarchy.*cgroup_disable=memory,pids/,
        );
    });
});
