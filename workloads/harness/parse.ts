// Parsers for the tools' own output formats (pure, unit-tested on captured output).

export function sysbenchCpuEventsPerSecond(out: string): number {
    const m = /events per second:\s*([\d.]+)/.exec(out);
    if (!m) throw new Error(`no "events per second" in sysbench output: ${out.slice(0, 200)}`);
    return Number(m[1]);
}

export function sysbenchMemoryMiBPerSecond(out: string): number {
    const m = /\(([\d.]+) MiB\/sec\)/.exec(out);
    if (!m) throw new Error(`no "MiB/sec" in sysbench output: ${out.slice(0, 200)}`);
    return Number(m[1]);
}

export interface FioJob {
    read: { iops: number; bw: number };
    write: { iops: number; bw: number };
}

/** IOPS and bandwidth (KiB/s) of the first job of fio's JSON output. */
export function fioJob(out: string): FioJob {
    const start = out.indexOf("{");
    const job = JSON.parse(out.slice(start)).jobs[0];
    return { read: { iops: job.read.iops, bw: job.read.bw }, write: { iops: job.write.iops, bw: job.write.bw } };
}

export function iperf3BitsPerSecond(out: string): number {
    const j = JSON.parse(out.slice(out.indexOf("{")));
    if (j.error) throw new Error(`iperf3: ${j.error}`);
    return j.end.sum_received.bits_per_second;
}

/** Transactions per second from pgbench's report (excluding connection time). */
export function pgbenchTps(out: string): number {
    const m = /^tps = (\d+(?:\.\d+)?) \((?:without initial connection time|excluding connections establishing)\)$/m.exec(out);
    if (!m) throw new Error(`unexpected pgbench output: ${out.slice(-300)}`);
    return Number(m[1]);
}

/** stress-ng --metrics-brief: one stressor's bogo ops per second of real time (all its instances). */
export function stressNgOpsPerSecond(out: string, stressor: string): number {
    const m = new RegExp(`metrc: \\[\\d+\\] ${stressor}\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)`).exec(out);
    if (!m) throw new Error(`no metrics for the ${stressor} stressor in stress-ng output: ${out.slice(-300)}`);
    return Number(m[5]);
}

/** An iperf3 client's rate stopped by SIGINT (its JSON then says "interrupt"): what it sent or, with -R, received. */
export function iperf3InterruptedBitsPerSecond(out: string): number {
    const j = JSON.parse(out.slice(out.indexOf("{")));
    if (j.error && !/interrupt/.test(j.error)) throw new Error(`iperf3: ${j.error}`);
    return Math.max(j.end?.sum_sent?.bits_per_second ?? 0, j.end?.sum_received?.bits_per_second ?? 0);
}
