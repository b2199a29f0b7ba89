import { expect } from "chai";
import { fioJob, iperf3BitsPerSecond, sysbenchCpuEventsPerSecond, sysbenchMemoryMiBPerSecond } from "../../workloads/harness/parse";

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
});
