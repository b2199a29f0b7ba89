import { expect } from "chai";
import { domainXml, VmDomainSpec } from "../../components/platforms/kvm/libvirtDomain";
import { expectGolden } from "./golden";

const spec: VmDomainSpec = {
    name: "vtb-kvm-core",
    owner: "virt-testbed:0123abcd/kvm",
    accel: "tcg",
    vcpus: 1,
    memoryMiB: 2048,
    kernel: "/var/lib/virt-testbed/images/abc/vmlinuz",
    initrd: "/var/lib/virt-testbed/images/abc/initrd.img",
    disk: "/var/lib/virt-testbed/guests/vtb-kvm-core/disk.qcow2",
    seed: "/var/lib/virt-testbed/guests/vtb-kvm-core/seed.img",
    bridge: "vtb-kvm",
    hostLink: "vtb0123456789",
    mac: "02:aa:bb:cc:dd:ee",
    nicModel: "virtio",
    consoleLog: "/var/lib/virt-testbed/guests/vtb-kvm-core/console.log",
    cpuPercent: 100,
    diskIops: 0,
    diskMBps: 0,
};

describe("libvirt domain XML", () => {
    it("TCG with a virtio NIC matches the golden file", () => expectGolden("domain-tcg-virtio.xml", domainXml(spec)));
    it("KVM with an emulated e1000 NIC matches the golden file", () =>
        expectGolden("domain-kvm-e1000.xml", domainXml({ ...spec, accel: "kvm", nicModel: "e1000", vcpus: 2, cpuPercent: 200 })));
    it("splits a CPU share over the vCPUs as each one's CFS quota", () => {
        expect(domainXml({ ...spec, vcpus: 2, cpuPercent: 50 })).to.match(/<period>100000<\/period>\s*<quota>25000<\/quota>/);
    });
    it("throttles the disk each way with <iotune> only when capped, and names the tap", () => {
        expect(domainXml(spec)).to.contain("<target dev='vtb0123456789'/>").and.not.contain("iotune");
        const xml = domainXml({ ...spec, diskIops: 250, diskMBps: 40 });
        expectGolden("domain-tcg-capped.xml", xml);
        expect(xml).to.contain("<read_iops_sec>250</read_iops_sec>").and.contain("<write_bytes_sec>40000000</write_bytes_sec>");
    });
    it("asks for type qemu and a small translation cache only under TCG", () => {
        expect(domainXml(spec))
            .to.match(/<domain type='qemu'>/)
            .and.match(/<tb-cache unit='MiB'>128<\/tb-cache>/);
        const kvm = domainXml({ ...spec, accel: "kvm" });
        expect(kvm)
            .to.match(/<domain type='kvm'>/)
            .and.not.match(/tb-cache/);
    });
    it("sizes vCPUs and memory, caps each vCPU at one core, and escapes names", () => {
        const xml = domainXml({ ...spec, vcpus: 3, cpuPercent: 300, memoryMiB: 512, name: "a&b" });
        expect(xml).to.contain("<vcpu placement='static'>3</vcpu>").and.contain("<memory unit='MiB'>512</memory>");
        expect(xml).to.contain("<quota>100000</quota>").and.contain("<name>a&amp;b</name>");
    });
});
