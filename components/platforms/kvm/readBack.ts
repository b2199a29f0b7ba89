// Parsers for what a platform reports it applied (pure, unit-tested): the entitlement a guest
// really got, recorded beside what the topology asked for.

/** From `virsh dominfo`: vCPUs and maximum memory. */
export function parseDominfo(out: string): { vcpus: number; memoryMiB: number } {
    const vcpus = Number(/^CPU\(s\):\s+(\d+)/m.exec(out)?.[1]);
    const kib = Number(/^Max memory:\s+(\d+) KiB/m.exec(out)?.[1]);
    if (!Number.isFinite(vcpus) || !Number.isFinite(kib)) throw new Error(`unexpected virsh dominfo output: ${out.slice(0, 200)}`);
    return { vcpus, memoryMiB: kib / 1024 };
}

/** From `virsh schedinfo`: the per-vCPU CFS quota and period (µs). */
export function parseSchedinfo(out: string): { vcpuQuotaUs: number; vcpuPeriodUs: number } {
    const quota = Number(/^vcpu_quota\s*:\s*(-?\d+)/m.exec(out)?.[1]);
    const period = Number(/^vcpu_period\s*:\s*(\d+)/m.exec(out)?.[1]);
    if (!Number.isFinite(quota) || !Number.isFinite(period)) throw new Error(`unexpected virsh schedinfo output: ${out.slice(0, 200)}`);
    return { vcpuQuotaUs: quota, vcpuPeriodUs: period };
}

/** From `virsh blkdeviotune <domain> <disk>`: QEMU's throttles per direction (0 = none). */
export function parseBlkdeviotune(out: string): { readIops: number; writeIops: number; readBytesSec: number; writeBytesSec: number } {
    const field = (key: string) => {
        const v = Number(new RegExp(`^${key}\\s*:\\s*(\\d+)`, "m").exec(out)?.[1]);
        if (!Number.isFinite(v)) throw new Error(`unexpected virsh blkdeviotune output (no ${key}): ${out.slice(0, 200)}`);
        return v;
    };
    return {
        readIops: field("read_iops_sec"),
        writeIops: field("write_iops_sec"),
        readBytesSec: field("read_bytes_sec"),
        writeBytesSec: field("write_bytes_sec"),
    };
}

/** From `virsh vcpupin`: the host cores vCPU 0 may run on. */
export function parseVcpupin(out: string): string {
    const m = /^\s*0\s+(\S+)\s*$/m.exec(out);
    if (!m) throw new Error(`unexpected virsh vcpupin output: ${out.slice(0, 200)}`);
    return m[1];
}
