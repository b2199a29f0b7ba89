import { expect } from "chai";
import { pgbenchTps } from "../../workloads/harness/parse";
import { hostRunScript } from "../../workloads/harness/benchmarks/db";
import { BENCHMARKS } from "../../workloads/harness/benchmarks";
import { BENCHMARK_NAMES, DEFAULT_SUITES } from "../../workloads/harness/benchmarkNames";

// pgbench 15's report, as captured on this machine's host run.
const REPORT = `pgbench (15.18 (Debian 15.18-0+deb12u1))
transaction type: <builtin: TPC-B (sort of)>
scaling factor: 10
number of clients: 4
number of threads: 2
number of transactions actually processed: 2698
latency average = 4.306 ms
initial connection time = 105.331 ms
tps = 928.994262 (without initial connection time)
`;

describe("db benchmark (pgbench)", () => {
    it("reads transactions per second without the connection time", () => {
        expect(pgbenchTps(REPORT)).to.equal(928.994262);
        expect(() => pgbenchTps("pgbench: error: connection to server failed")).to.throw(/unexpected pgbench output/);
    });

    it("runs the host's server from an overlay of the base image in a private mount namespace, stopped on exit", () => {
        const s = hostRunScript({
            rootfs: "/cache/images/abc/rootfs",
            scratch: "/cache/fio-s/pgbench",
            port: 40001,
            sharedBuffers: "256MB",
            seconds: 5,
            cpus: 1,
        });
        expect(s).to.contain("taskset -c 0-0 unshare --mount --propagation private");
        expect(s).to.contain("lowerdir=/cache/images/abc/rootfs,upperdir=/cache/fio-s/pgbench/upper");
        expect(s).to.match(/postgres -D \/var\/tmp\/pgdata -p 40001 .*-c listen_addresses= -c shared_buffers=256MB/);
        expect(s).to.match(/trap 'kill -INT \$pg/);
        expect(s).to.contain("pgbench -n -c 4 -j 2 -T 5 -h /run/postgresql -p 40001 postgres");
        // The base image is only ever a lower layer: nothing writes or removes it.
        expect(s).not.to.match(/rm -rf '\/cache\/images/);
    });
});

describe("benchmark registry", () => {
    it("implements every name config accepts, under that name, and defaults to the saturation search, the micro-benchmarks and the security facts", () => {
        expect(Object.keys(BENCHMARKS)).to.have.members([...BENCHMARK_NAMES]);
        for (const [name, m] of Object.entries(BENCHMARKS)) expect(m.name, name).to.equal(name);
        expect(DEFAULT_SUITES).to.deep.equal(["saturation", "cpu", "memory", "disk", "network", "security"]);
    });
});
