// Parsers for what Xen reports it applied to a domU (pure, unit-tested).

/** From `xl list <name>`: memory (MiB) and vCPUs of the running domain. */
export function parseXlList(out: string, name: string): { memoryMiB: number; vcpus: number } {
    const row = out
        .split("\n")
        .map((l) => l.trim().split(/\s+/))
        .find((f) => f[0] === name);
    const memoryMiB = Number(row?.[2]);
    const vcpus = Number(row?.[3]);
    if (!row || !Number.isFinite(memoryMiB) || !Number.isFinite(vcpus)) throw new Error(`unexpected xl list output for ${name}: ${out.slice(0, 200)}`);
    return { memoryMiB, vcpus };
}

/** From `xl sched-credit -d <name>`: the credit scheduler's weight and cap (% of one CPU, 0 = none). */
export function parseXlSchedCredit(out: string, name: string): { weight: number; cap: number } {
    const row = out
        .split("\n")
        .map((l) => l.trim().split(/\s+/))
        .find((f) => f[0] === name);
    const weight = Number(row?.[2]);
    const cap = Number(row?.[3]);
    if (!row || !Number.isFinite(weight) || !Number.isFinite(cap)) throw new Error(`unexpected xl sched-credit output for ${name}: ${out.slice(0, 200)}`);
    return { weight, cap };
}

/** From `xl vcpu-list <name>`: the hard affinity of its first vCPU ("1", "0-1", "all"). */
export function parseXlVcpuAffinity(out: string, name: string): string {
    const row = out
        .split("\n")
        .map((l) => l.trim().split(/\s+/))
        .find((f) => f[0] === name);
    const hard = row?.slice(6).join(" ").split("/")[0].trim();
    if (!hard) throw new Error(`unexpected xl vcpu-list output for ${name}: ${out.slice(0, 200)}`);
    return hard;
}
