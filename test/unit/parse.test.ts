import { expect } from "chai";
import {
    fioJob,
    iperf3BitsPerSecond,
    iperf3InterruptedBitsPerSecond,
    stressNgOpsPerSecond,
    sysbenchCpuEventsPerSecond,
    sysbenchMemoryMiBPerSecond,
} from "../../workloads/harness/parse";

/** stress-ng 0.15's --metrics-brief, captured on this machine (a fork stressor stopped by SIGINT). */
const STRESS_NG = `stress-ng: info:  [27984] dispatching hogs: 2 fork
stress-ng: metrc: [27984] stressor       bogo ops real time  usr time  sys time   bogo ops/s     bogo ops/s
stress-ng: metrc: [27984]                           (secs)    (secs)    (secs)   (real time) (usr+sys time)
stress-ng: metrc: [27984] fork               1157      2.05      1.87      2.10       564.95         291.44
stress-ng: info:  [27984] successful run completed in 2.06s`;

describe("tool output parsers", () => {
    it("reads sysbench cpu events per second", () => {
        const out = "CPU speed:\n    events per second:  1523.48\n\nGeneral statistics:\n    total time: 5.0003s\n";
        expect(sysbenchCpuEventsPerSecond(out)).to.equal(1523.48);
        expect(() => sysbenchCpuEventsPerSecond("FATAL: bad option")).to.throw(/events per second/);
    });
    it("reads sysbench memory MiB/s", () => {
        const out = "Total operations: 52134 (10425.17 per second)\n\n52134.00 MiB transferred (10425.17 MiB/sec)\n";
        expect(sysbenchMemoryMiBPerSecond(out)).to.equal(10425.17);
    });
    it("reads fio's JSON after any warnings", () => {
        const out =
            'note: both iodepth >= 1 and synchronous I/O engine are selected\n{"fio version":"fio-3.33","jobs":[{"read":{"iops":1234.5,"bw":4938},"write":{"iops":0,"bw":0}}]}';
        expect(fioJob(out)).to.deep.equal({ read: { iops: 1234.5, bw: 4938 }, write: { iops: 0, bw: 0 } });
    });
    it("reads iperf3's received throughput and surfaces its errors", () => {
        expect(iperf3BitsPerSecond('{"end":{"sum_received":{"bits_per_second":9.4e9}}}')).to.equal(9.4e9);
        expect(() => iperf3BitsPerSecond('{"error":"unable to connect to server"}')).to.throw(/unable to connect/);
    });
    it("reads stress-ng's bogo ops per second of real time for the stressor named, and says when it is missing", () => {
        expect(stressNgOpsPerSecond(STRESS_NG, "fork")).to.equal(564.95);
        expect(() => stressNgOpsPerSecond(STRESS_NG, "vm")).to.throw(/no metrics for the vm stressor/);
    });
    it("reads an iperf3 client stopped by SIGINT: what it sent, or with -R what it received; other errors still fail", () => {
        const interrupted = (sent: number, received: number) =>
            JSON.stringify({
                end: { sum_sent: { bits_per_second: sent }, sum_received: { bits_per_second: received } },
                error: "interrupt - the client has terminated",
            });
        expect(iperf3InterruptedBitsPerSecond(interrupted(1.4e10, 0))).to.equal(1.4e10);
        expect(iperf3InterruptedBitsPerSecond(interrupted(0, 1.2e10))).to.equal(1.2e10);
        expect(() => iperf3InterruptedBitsPerSecond('{"error":"unable to connect to server"}')).to.throw(/unable to connect/);
    });
});
