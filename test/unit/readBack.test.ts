import { expect } from "chai";
import { parseDominfo, parseSchedinfo, parseVcpupin } from "../../components/platforms/kvm/readBack";
import { domainXml } from "../../components/platforms/kvm/libvirtDomain";

describe("applied-limit read-back parsers", () => {
    it("reads vCPUs and memory from virsh dominfo", () => {
        const out =
            "Id:             1\nName:           vtb-kvm-core\nOS Type:        hvm\nState:          running\nCPU(s):         2\nCPU time:       12.3s\nMax memory:     2097152 KiB\nUsed memory:    2097152 KiB\n";
        expect(parseDominfo(out)).to.deep.equal({ vcpus: 2, memoryMiB: 2048 });
        expect(() => parseDominfo("error: failed to get domain")).to.throw(/unexpected virsh dominfo/);
    });
    it("reads the vCPU quota and period from virsh schedinfo", () => {
        const out =
            "Scheduler      : posix\ncpu_shares     : 1024\nvcpu_period    : 100000\nvcpu_quota     : 100000\nemulator_period: 100000\nemulator_quota : -1\n";
        expect(parseSchedinfo(out)).to.deep.equal({ vcpuQuotaUs: 100000, vcpuPeriodUs: 100000 });
    });
    it("pins a domain's vCPUs with <vcpu cpuset> and reads vCPU 0's affinity back from virsh vcpupin", () => {
        expect(parseVcpupin(" VCPU   CPU Affinity\n----------------------\n 0      1\n\n")).to.equal("1");
        expect(() => parseVcpupin("error: no domain")).to.throw(/vcpupin/);
        const xml = (cpuset?: string) =>
            domainXml({
                name: "d",
                owner: "o",
                accel: "tcg",
                vcpus: 1,
                memoryMiB: 512,
                kernel: "k",
                initrd: "i",
                disk: "d.qcow2",
                seed: "s.img",
                bridge: "b",
                hostLink: "t",
                mac: "02:00:00:00:00:01",
                nicModel: "virtio",
                consoleLog: "c.log",
                cpuPercent: 100,
                diskIops: 0,
                diskMBps: 0,
                ...(cpuset ? { cpuset } : {}),
            });
        expect(xml("1")).to.contain("<vcpu placement='static' cpuset='1'>1</vcpu>");
        expect(xml()).to.contain("<vcpu placement='static'>1</vcpu>");
    });
});
