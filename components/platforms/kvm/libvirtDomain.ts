// libvirt domain XML for a testbed VM: pure, so it is golden-tested.

export type Accel = "kvm" | "tcg";
export type NicModel = "virtio" | "e1000";

export interface VmDomainSpec {
    name: string;
    /** Ownership mark (components/lib/ownership.ts), kept as the domain's description. */
    owner: string;
    accel: Accel;
    vcpus: number;
    memoryMiB: number;
    /** Direct kernel boot: the base image's kernel and initramfs. */
    kernel: string;
    initrd: string;
    /** qcow2 overlay of the base disk (vda) and the read-only seed disk (vdb). */
    disk: string;
    seed: string;
    bridge: string;
    /** Host-side tap name, stable per guest. */
    hostLink: string;
    mac: string;
    nicModel: NicModel;
    consoleLog: string;
    /** CPU share in % of one host core over all vCPUs (the quota is per vCPU). */
    cpuPercent: number;
    /** Host cores the vCPUs (and QEMU's own threads) may run on; absent = any. */
    cpuset?: string;
    /** Disk caps per direction, 0 = uncapped. */
    diskIops: number;
    diskMBps: number;
}

import { bytesPerSecond } from "../common/limits";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&apos;");

export const KERNEL_CMDLINE = "root=/dev/vda rw console=ttyS0 net.ifnames=0 init=/usr/local/sbin/vtb-vm-init";
/** CFS period for the vCPU cap; the guest's CPU share is split evenly over its vCPUs, as an LXC guest's quota allows in sum. */
const PERIOD_US = 100000;

/** QEMU's own throttles on the guest's disk, reads and writes each. */
function iotune(s: VmDomainSpec): string {
    const caps = [
        ...(s.diskMBps > 0 ? ["read_bytes_sec", "write_bytes_sec"].map((k) => `<${k}>${bytesPerSecond(s.diskMBps)}</${k}>`) : []),
        ...(s.diskIops > 0 ? ["read_iops_sec", "write_iops_sec"].map((k) => `<${k}>${s.diskIops}</${k}>`) : []),
    ];
    return caps.length ? `\n      <iotune>\n${caps.map((c) => `        ${c}`).join("\n")}\n      </iotune>` : "";
}

export function domainXml(s: VmDomainSpec): string {
    const type = s.accel === "kvm" ? "kvm" : "qemu";
    const cpu = s.accel === "kvm" ? "  <cpu mode='host-passthrough'/>" : "  <cpu mode='custom' match='exact'><model fallback='allow'>qemu64</model></cpu>";
    // Under TCG a smaller translation cache cuts QEMU's RSS (measured: ~1.28 GB -> ~0.5 GB per 512 MiB guest).
    const tcg = s.accel === "tcg" ? "\n    <tcg><tb-cache unit='MiB'>128</tb-cache></tcg>" : "";
    return `<domain type='${type}'>
  <name>${esc(s.name)}</name>
  <description>${esc(s.owner)}</description>
  <memory unit='MiB'>${s.memoryMiB}</memory>
  <vcpu placement='static'${s.cpuset ? ` cpuset='${esc(s.cpuset)}'` : ""}>${s.vcpus}</vcpu>
  <cputune>
    <period>${PERIOD_US}</period>
    <quota>${Math.round((s.cpuPercent * PERIOD_US) / 100 / s.vcpus)}</quota>
  </cputune>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>${esc(s.kernel)}</kernel>
    <initrd>${esc(s.initrd)}</initrd>
    <cmdline>${KERNEL_CMDLINE}</cmdline>
  </os>
  <features>
    <acpi/>${tcg}
  </features>
${cpu}
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='${esc(s.disk)}'/>
      <target dev='vda' bus='virtio'/>${iotune(s)}
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='${esc(s.seed)}'/>
      <target dev='vdb' bus='virtio'/>
      <readonly/>
    </disk>
    <interface type='bridge'>
      <source bridge='${esc(s.bridge)}'/>
      <target dev='${esc(s.hostLink)}'/>
      <mac address='${s.mac}'/>
      <model type='${s.nicModel}'/>
    </interface>
    <serial type='file'>
      <source path='${esc(s.consoleLog)}'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
</domain>
`;
}
