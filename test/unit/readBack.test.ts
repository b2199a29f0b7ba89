import { expect } from "chai";
import { parseDominfo, parseSchedinfo } from "../../components/platforms/kvm/readBack";

describe("applied-limit read-back parsers", () => {
    it("reads vCPUs and memory from virsh dominfo", () => {
        const out =
            "Id:             1\nName:           vtb-kvm-core\nOS Type:        hvm\nState:          running\nCPU(s):         2\nCPU time:       12.3s\nMax memory:     2097152 KiB\nUsed memory:    2097152 KiB\n";
        expect(parseDominfo(out)).to.deep.equal({ vcpus: 2, memoryMiB: 2048 });
        expect(() => parseDominfo("error: failed to get domain")).to.throw(/unexpected virsh dominfo/);
    });
    it("reads the vCPU quota and period from virsh schedinfo", () => {
        const out =
            "Scheduler      : posix\ncpu_shares     : 1024\nvcpu_period    : 100000\nvcpu_quota     : 100000\nemulator_period: 100000\nemulator_quota : -1\n";
        expect(parseSchedinfo(out)).to.deep.equal({ vcpuQuotaUs: 100000, vcpuPeriodUs: 100000 });
    });
});
