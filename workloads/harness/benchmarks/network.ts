import type { BenchmarkModule, Sample } from "../contract";
import { iperf3BitsPerSecond } from "../parse";
import { startServer } from "../oneShotServer";
import { measuredGuest, sample, Side } from "./overhead";

/** The guests' fixed server ports (each guest is the stack's own); the host's are picked free per run. */
const GUEST_PORTS = { iperf: 5201, rtt: 5202 };

/** Throughput with iperf3 and TCP round trips with a small echo probe, guest to guest (host: over loopback). */
export const networkBenchmark: BenchmarkModule<"network"> = {
    name: "network",
    description: "iperf3 TCP throughput and a 1-byte TCP round-trip probe, guest to guest and on the bare host over loopback",
    create(ctx) {
        const seconds = ctx.config.microSeconds;
        const pair = async (side: Side): Promise<Sample[]> => {
            const peer = ctx.peer();
            if (side === "guest" && !peer) throw new Error("the network benchmark needs at least two guests");
            const [client, server, address, bundle] =
                side === "guest" && peer ? [measuredGuest(ctx), peer, peer.address, "/opt/vtb"] : [ctx.host, ctx.host, "127.0.0.1", ctx.hostBundle];
            const ports = side === "guest" ? GUEST_PORTS : { iperf: await ctx.freeHostPort(), rtt: await ctx.freeHostPort() };
            // Servers are one-shot and time-bounded, so nothing outlives the measurement.
            await server.exec(startServer(`iperf3 -s -1 -p ${ports.iperf}`, ports.iperf, seconds));
            const bps = iperf3BitsPerSecond(await client.exec(`iperf3 -c ${address} -p ${ports.iperf} -t ${seconds} -J`));
            await server.exec(startServer(`node ${bundle}/workloads/guest/probes/tcpRtt.js serve ${ports.rtt}`, ports.rtt, seconds));
            const rtt = JSON.parse(await client.exec(`node ${bundle}/workloads/guest/probes/tcpRtt.js probe ${address} ${ports.rtt} ${seconds}`));
            return [
                sample(side, "tcp_throughput", bps / 1e9, "Gbit/s", "higher", { tool: "iperf3", streams: 1 }),
                sample(side, "tcp_rtt_p50", rtt.p50Us, "us", "lower", { tool: "tcpRtt", payloadBytes: 1 }),
            ];
        };
        return { run: async () => [...(await pair("guest")), ...(await pair("host"))] };
    },
};
