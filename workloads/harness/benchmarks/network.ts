import type { BenchmarkModule, Sample, Target } from "../contract";
import { withHostPath } from "../hostPath";
import { iperf3BitsPerSecond } from "../parse";
import { startServer } from "../oneShotServer";
import { measuredGuest, sample, Side } from "./overhead";

/** The servers' fixed ports: each guest, and each namespace of the host's path, is the run's own. */
const GUEST_PORTS = { iperf: 5201, rtt: 5202 };

/**
 * Throughput with iperf3 and TCP round trips with a small echo probe, guest to guest, and on the
 * bare host over a path of the same kind (two network namespaces on a bridge; hostPath.ts).
 */
export const networkBenchmark: BenchmarkModule<"network"> = {
    name: "network",
    description:
        "iperf3 TCP throughput and a 1-byte TCP round-trip probe, guest to guest and on the bare host between two network namespaces on a bridge (the same kind of path)",
    create(ctx) {
        const seconds = ctx.config.microSeconds;
        const pair = async (side: Side, client: Target, server: Target, address: string, bundle: string, path: string): Promise<Sample[]> => {
            const ports = GUEST_PORTS;
            // Servers are one-shot and time-bounded, so nothing outlives the measurement.
            await server.exec(startServer(`iperf3 -s -1 -p ${ports.iperf}`, ports.iperf, seconds));
            const bps = iperf3BitsPerSecond(await client.exec(`iperf3 -c ${address} -p ${ports.iperf} -t ${seconds} -J`));
            await server.exec(startServer(`node ${bundle}/workloads/guest/probes/tcpRtt.js serve ${ports.rtt}`, ports.rtt, seconds));
            const rtt = JSON.parse(await client.exec(`node ${bundle}/workloads/guest/probes/tcpRtt.js probe ${address} ${ports.rtt} ${seconds}`));
            return [
                sample(side, "tcp_throughput", bps / 1e9, "Gbit/s", "higher", { tool: "iperf3", streams: 1, path }),
                sample(side, "tcp_rtt_p50", rtt.p50Us, "us", "lower", { tool: "tcpRtt", payloadBytes: 1, path }),
            ];
        };
        return {
            run: async () => {
                const peer = ctx.peer();
                if (!peer) throw new Error("the network benchmark needs at least two guests");
                const guest = await pair(
                    "guest",
                    measuredGuest(ctx),
                    peer,
                    peer.address,
                    "/opt/vtb",
                    "guest to guest over the platform's links and the stack's bridge",
                );
                const host = await withHostPath(ctx.stack, (p) => pair("host", p.client, p.server, p.serverAddress, ctx.hostBundle, p.description));
                return [...guest, ...host];
            },
        };
    },
};
