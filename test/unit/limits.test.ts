import { expect } from "chai";
import { parseTbfMbps, tbfArgs, tbfQdisc } from "../../components/platforms/common/limits";
import { parseBlkdeviotune } from "../../components/platforms/kvm/readBack";
import { consoleQdisc } from "../../components/platforms/common/limits";

describe("disk and network caps", () => {
    it("builds a token bucket with at least one tick of burst", () => {
        expect(tbfArgs("vtb0123", 100)).to.deep.equal([
            "qdisc",
            "replace",
            "dev",
            "vtb0123",
            "root",
            "tbf",
            "rate",
            "100mbit",
            "burst",
            "49kb",
            "latency",
            "50ms",
        ]);
        expect(tbfQdisc(1)).to.include("32kb");
    });

    it("reads the root tbf rate back from tc in Mbit/s, 0 without one", () => {
        expect(parseTbfMbps("qdisc tbf 8017: root refcnt 3 rate 100Mbit burst 49Kb lat 50ms \n Sent 0 bytes")).to.equal(100);
        expect(parseTbfMbps("qdisc tbf 1: root refcnt 2 rate 1500Kbit burst 32Kb lat 50ms")).to.equal(1.5);
        expect(parseTbfMbps("qdisc tbf 1: root refcnt 2 rate 2Gbit burst 1Mb lat 50ms")).to.equal(2000);
        expect(parseTbfMbps("qdisc noqueue 0: root refcnt 2")).to.equal(0);
        expect(parseTbfMbps("")).to.equal(0);
    });

    it("reads QEMU's disk throttles from virsh blkdeviotune", () => {
        const out =
            "total_bytes_sec: 0\nread_bytes_sec : 40000000\nwrite_bytes_sec: 40000000\ntotal_iops_sec : 0\nread_iops_sec  : 250\nwrite_iops_sec : 250\n";
        expect(parseBlkdeviotune(out)).to.deep.equal({ readIops: 250, writeIops: 250, readBytesSec: 40000000, writeBytesSec: 40000000 });
        expect(() => parseBlkdeviotune("error: domain not found")).to.throw(/blkdeviotune/);
    });

    it("finds the last qdisc line a VM printed on its console", () => {
        const log = "[    1.2] booting\nvtb-eth0-qdisc: qdisc pfifo_fast 0: root\nreboot\nvtb-eth0-qdisc: qdisc tbf 8001: root refcnt 2 rate 50Mbit\n";
        expect(consoleQdisc(log)).to.equal("qdisc tbf 8001: root refcnt 2 rate 50Mbit");
        expect(consoleQdisc("no marker")).to.equal(undefined);
    });
});
