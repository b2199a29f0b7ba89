// TCP round-trip probe: `serve PORT` echoes one byte at a time (one client, then exits);
// `probe HOST PORT SECONDS` ping-pongs for that long and prints {n, p50Us, p99Us} as JSON.
import * as net from "net";
import { percentile } from "../common/stats";

function serve(port: number): void {
    const server = net.createServer((sock) => {
        sock.setNoDelay(true);
        sock.on("data", (d) => sock.write(d));
        sock.on("close", () => server.close());
    });
    server.listen(port);
}

function probe(host: string, port: number, seconds: number): void {
    const rtts: number[] = [];
    const sock = net.connect({ host, port }, () => {
        sock.setNoDelay(true);
        const end = Date.now() + seconds * 1000;
        let sent = process.hrtime.bigint();
        sock.on("data", () => {
            const now = process.hrtime.bigint();
            rtts.push(Number(now - sent) / 1000);
            if (Date.now() >= end) {
                sock.end();
                console.log(JSON.stringify({ n: rtts.length, p50Us: percentile(rtts, 50), p99Us: percentile(rtts, 99) }));
                return;
            }
            sent = process.hrtime.bigint();
            sock.write("x");
        });
        sock.write("x");
    });
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "serve") serve(Number(args[0]));
else if (mode === "probe") probe(args[0], Number(args[1]), Number(args[2]));
else throw new Error("usage: tcpRtt serve PORT | probe HOST PORT SECONDS");
