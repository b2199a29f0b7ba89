// Virtualization overhead: the same micro-benchmarks in a guest and on the bare host.
import { Benchmark, Sample, Target } from "../contract";
import { fioJob, iperf3BitsPerSecond, sysbenchCpuEventsPerSecond, sysbenchMemoryMiBPerSecond } from "../parse";

export interface MicroContext {
    guest: Target;
    host: Target;
    /** A second guest, server side of the network tests. */
    peer: Target;
    peerAddress: string;
    /** Where the host runs the guest-bundle scripts from (build/guest). */
    hostBundle: string;
    /** The host's fio scratch directory, the stack's own so that stacks measured together never share one. */
    hostScratch: string;
    /** Picks a free TCP port on the host for a one-shot server (stacks measured together never share one). */
    freeHostPort(): Promise<number>;
    seconds: number;
}

type Side = "guest" | "host";

function sample(side: Side, metric: string, value: number, unit: string, better: "higher" | "lower", params: Sample["params"] = {}): Sample {
    return { metric: `${side}.${metric}`, value, unit, better, params };
}

function both(ctx: MicroContext, measure: (t: Target, side: Side) => Promise<Sample[]>): () => Promise<Sample[]> {
    return async () => [...(await measure(ctx.guest, "guest")), ...(await measure(ctx.host, "host"))];
}

export function cpuBenchmark(ctx: MicroContext): Benchmark {
    return {
        name: "cpu",
        run: both(ctx, async (t, side) => {
            const out = await t.exec(`sysbench cpu --threads=1 --time=${ctx.seconds} run`);
            return [sample(side, "events_per_s", sysbenchCpuEventsPerSecond(out), "events/s", "higher", { tool: "sysbench cpu", threads: 1 })];
        }),
    };
}

export function memoryBenchmark(ctx: MicroContext): Benchmark {
    return {
        name: "memory",
        run: both(ctx, async (t, side) => {
            const out = await t.exec(`sysbench memory --threads=1 --time=${ctx.seconds} --memory-total-size=1000T --memory-block-size=1M run`);
            return [sample(side, "bandwidth", sysbenchMemoryMiBPerSecond(out), "MiB/s", "higher", { tool: "sysbench memory", block: "1M" })];
        }),
    };
}

const GUEST_FIO_DIR = "/var/tmp/vtb-fio";

export function diskBenchmark(ctx: MicroContext): Benchmark {
    const dir: Record<Side, string> = { guest: GUEST_FIO_DIR, host: ctx.hostScratch };
    const fio = (side: Side, job: string) =>
        `d='${dir[side]}'; mkdir -p "$d"; fio --name=${job} --directory="$d" --size=128M --runtime=${ctx.seconds} --time_based ` +
        `--ioengine=psync --direct=1 --output-format=json ${job.startsWith("rand") ? "--bs=4k" : "--bs=1M"} --rw=${job}`;
    return {
        name: "disk",
        run: both(ctx, async (t, side) => {
            const params = { tool: "fio", ioengine: "psync", direct: 1, size: "128M" };
            const rr = fioJob(await t.exec(fio(side, "randread")));
            const rw = fioJob(await t.exec(fio(side, "randwrite")));
            const sr = fioJob(await t.exec(fio(side, "read")));
            const sw = fioJob(await t.exec(fio(side, "write")));
            return [
                sample(side, "randread_iops", rr.read.iops, "IOPS", "higher", { ...params, bs: "4k" }),
                sample(side, "randwrite_iops", rw.write.iops, "IOPS", "higher", { ...params, bs: "4k" }),
                sample(side, "seqread_bandwidth", sr.read.bw / 1024, "MiB/s", "higher", { ...params, bs: "1M" }),
                sample(side, "seqwrite_bandwidth", sw.write.bw / 1024, "MiB/s", "higher", { ...params, bs: "1M" }),
            ];
        }),
        cleanup: async () => {
            await ctx.guest.exec(`rm -rf ${GUEST_FIO_DIR}`);
            await ctx.host.exec(`rm -rf '${ctx.hostScratch}'`);
        },
    };
}

/**
 * Starts a one-shot server in the background and returns once it listens: a fixed sleep is not
 * enough where starting Node takes seconds (emulated guests). Bounded: it never outlives the run.
 */
export function startServer(command: string, port: number, seconds: number): string {
    return [
        `(timeout ${seconds + 120} ${command} >/dev/null 2>&1 &)`,
        "i=0",
        `until ss -Hltn "sport = :${port}" | grep -q .; do`,
        `  i=$((i+1)); [ "$i" -le 600 ] || { echo "server on port ${port} did not listen within 60 s" >&2; exit 1; }; sleep 0.1`,
        "done",
    ].join("\n");
}

/** The guests' fixed server ports (each guest is the stack's own); the host's are picked free per run. */
const GUEST_PORTS = { iperf: 5201, rtt: 5202 };

/** Throughput with iperf3 and TCP round trips with a small echo probe, guest to guest (host: over loopback). */
export function networkBenchmark(ctx: MicroContext): Benchmark {
    const pair = async (side: Side): Promise<Sample[]> => {
        const [client, server, address, bundle] =
            side === "guest" ? [ctx.guest, ctx.peer, ctx.peerAddress, "/opt/vtb"] : [ctx.host, ctx.host, "127.0.0.1", ctx.hostBundle];
        const ports = side === "guest" ? GUEST_PORTS : { iperf: await ctx.freeHostPort(), rtt: await ctx.freeHostPort() };
        // Servers are one-shot and time-bounded, so nothing outlives the measurement.
        await server.exec(startServer(`iperf3 -s -1 -p ${ports.iperf}`, ports.iperf, ctx.seconds));
        const bps = iperf3BitsPerSecond(await client.exec(`iperf3 -c ${address} -p ${ports.iperf} -t ${ctx.seconds} -J`));
        await server.exec(startServer(`node ${bundle}/workloads/guest/probes/tcpRtt.js serve ${ports.rtt}`, ports.rtt, ctx.seconds));
        const rtt = JSON.parse(await client.exec(`node ${bundle}/workloads/guest/probes/tcpRtt.js probe ${address} ${ports.rtt} ${ctx.seconds}`));
        return [
            sample(side, "tcp_throughput", bps / 1e9, "Gbit/s", "higher", { tool: "iperf3", streams: 1 }),
            sample(side, "tcp_rtt_p50", rtt.p50Us, "us", "lower", { tool: "tcpRtt", payloadBytes: 1 }),
        ];
    };
    return { name: "network", run: async () => [...(await pair("guest")), ...(await pair("host"))] };
}
