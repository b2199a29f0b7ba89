// The well-behaved guest's measurements, each taken alone and beside every stressor: CPU
// (sysbench), disk (fio 4k random read), network to another guest (iperf3 throughput, TCP round
// trip) and the middleware's p99 latency at the stack's fixed rate.
import type { SuiteContext, Target } from "../contract";
import { fioJob, iperf3BitsPerSecond, sysbenchCpuEventsPerSecond } from "../parse";
import { startServer } from "../oneShotServer";
import { runLoadStep } from "../sensors/loadStep";
import { measuredGuest } from "../benchmarks/overhead";
import type { VictimName } from "./names";

export interface Victim {
    name: VictimName;
    unit: string;
    better: "higher" | "lower";
    tool: string;
    prepare?(): Promise<void>;
    measure(seconds: number): Promise<number>;
    cleanup?(): Promise<void>;
}

const FIO_DIR = "/var/tmp/vtb-isolation";
const FIO_FILE = `${FIO_DIR}/victim.fio`;
/** The peer's server ports for the victim's network measurements (apart from the network benchmark's). */
const PORTS = { iperf: 5211, rtt: 5212 };

/** The victims the stack selects (benchmark.isolation.victims) and can measure: the network ones need a peer guest. */
export function victims(ctx: SuiteContext, runId: () => string): Victim[] {
    const victim: Target = measuredGuest(ctx);
    const peer = ctx.peer();
    // The pipeline's load at the stack's rate; once untimed first, so that the run alone is not the one that connects and warms up.
    const load = (seconds: number) =>
        runLoadStep(
            { amqpUrl: ctx.endpoints.amqpUrl, pgUrl: ctx.endpoints.pgUrl },
            { ...ctx.config, durationSeconds: seconds, drainSeconds: 30 + seconds, runId: runId() },
        );
    const fio = (seconds: number) =>
        `fio --name=victim --filename=${FIO_FILE} --size=64M --runtime=${seconds} --time_based --ioengine=psync --direct=1 --bs=4k --rw=randread --output-format=json`;
    const list: Victim[] = [
        {
            name: "cpu",
            unit: "events/s",
            better: "higher",
            tool: "sysbench cpu, one thread",
            measure: async (s) => sysbenchCpuEventsPerSecond(await victim.exec(`sysbench cpu --threads=1 --time=${s} run`)),
        },
        {
            name: "disk",
            unit: "IOPS",
            better: "higher",
            tool: "fio 4k random read, psync, direct",
            prepare: async () =>
                void (await victim.exec(`mkdir -p ${FIO_DIR}; fio --name=layout --filename=${FIO_FILE} --size=64M --bs=1M --rw=write --direct=1 >/dev/null`)),
            measure: async (s) => fioJob(await victim.exec(fio(s))).read.iops,
            cleanup: async () => void (await victim.exec(`rm -rf ${FIO_DIR}`)),
        },
        {
            name: "pipeline_p99",
            unit: "ms",
            better: "lower",
            tool: `open-loop sensor load at benchmark.rate through the middleware, p99 intended time to stored`,
            prepare: async () => void (await load(1)),
            measure: async (s) => (await load(s)).latencyMs.p99,
        },
    ];
    const selected = (all: Victim[]) => all.filter((v) => ctx.config.isolation.victims.includes(v.name));
    if (!peer) return selected(list);
    return selected([
        ...list,
        {
            name: "net_throughput",
            unit: "Gbit/s",
            better: "higher",
            tool: "iperf3 TCP, one stream, to another guest",
            measure: async (s) => {
                await peer.exec(startServer(`iperf3 -s -1 -p ${PORTS.iperf}`, PORTS.iperf, s));
                return iperf3BitsPerSecond(await victim.exec(`iperf3 -c ${peer.address} -p ${PORTS.iperf} -t ${s} -J`)) / 1e9;
            },
        },
        {
            name: "net_rtt",
            unit: "us",
            better: "lower",
            tool: "1-byte TCP round trips to another guest, p50",
            measure: async (s) => {
                await peer.exec(startServer(`node /opt/vtb/workloads/guest/probes/tcpRtt.js serve ${PORTS.rtt}`, PORTS.rtt, s));
                return JSON.parse(await victim.exec(`node /opt/vtb/workloads/guest/probes/tcpRtt.js probe ${peer.address} ${PORTS.rtt} ${s}`)).p50Us;
            },
        },
    ]);
}
