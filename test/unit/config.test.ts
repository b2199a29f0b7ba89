import { expect } from "chai";
import { ConfigError, DEFAULT_BENCHMARK, DEFAULT_TOPOLOGY, parseConfig } from "../../components/config";

const valid = { platform: "lxc" };

function errorOf(raw: Record<string, unknown>): string {
    try {
        parseConfig(raw);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return (e as Error).message;
    }
    throw new Error("expected a ConfigError");
}

describe("config validation", () => {
    it("fills defaults for a minimal lxc stack", () => {
        const c = parseConfig(valid);
        expect(c.platform).to.equal("lxc");
        expect(c.host).to.equal("local");
        expect(c.network).to.deep.equal({ bridge: "vtb-lxc", subnet: "10.231.1.0/24" });
        expect(c.topology).to.deep.equal(DEFAULT_TOPOLOGY);
        expect(c.benchmark).to.deep.equal(DEFAULT_BENCHMARK);
    });

    it("passes kvm settings to the driver, with defaults", () => {
        expect(parseConfig({ platform: "kvm" }).settings).to.deep.equal({ nicModel: "virtio", accel: "auto" });
        expect(parseConfig({ platform: "kvm", kvm: { nicModel: "e1000", accel: "tcg" } }).settings).to.deep.equal({ nicModel: "e1000", accel: "tcg" });
        expect(parseConfig(valid).settings).to.deep.equal({ privileged: false, pidsMax: 4096 });
    });

    it("gives a xen stack a nested host and PV guests by default", () => {
        const c = parseConfig({ platform: "xen" });
        expect(c.host).to.equal("nested");
        expect(c.settings).to.deep.equal({ guestType: "pv", dom0MemoryMiB: 1024 });
        expect(parseConfig({ platform: "xen", host: "nested", xen: { guestType: "pvh" } }).settings).to.deep.include({ guestType: "pvh" });
    });

    it("accepts the committed lxc stack file's settings", () => {
        const c = parseConfig({
            platform: "lxc",
            host: "local",
            network: { bridge: "vtb-e2e", subnet: "10.231.9.0/24" },
            topology: { ingest: { vcpus: 2, memoryMiB: 768, workers: 3 } },
            benchmark: { repetitions: "2", durationSeconds: 3 },
        });
        expect(c.topology.ingest).to.deep.equal({ vcpus: 2, memoryMiB: 768, cpuPercent: 0, diskIops: 0, diskMBps: 0, netMbps: 0, workers: 3 });
        expect(c.benchmark.repetitions).to.equal(2);
    });

    it("reads a remote host: its address, its pinned key (without the comment) and the key the testbed logs in with", () => {
        const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ7c0h0mN3wG8m1tq7y3Yl0r2uPqYb6o8mVZ2Hc4yWlC";
        const c = parseConfig({ ...valid, host: "ssh://root@lxc1.lab:2222", hostKey: `${key} root@lxc1`, hostIdentity: "/root/.ssh/id_ed25519" });
        expect(c.host).to.equal("ssh");
        expect(c.remote).to.deep.equal({ user: "root", host: "lxc1.lab", port: 2222, hostKey: key, identityFile: "/root/.ssh/id_ed25519" });
        expect(parseConfig({ platform: "xen", host: "ssh://root@dom0", hostKey: "SHA256:" + "b".repeat(43) }).host).to.equal("ssh");
        // Whether this machine is a dom0 is a fact of the host: preflight judges it, not the parser.
        expect(parseConfig({ platform: "xen", host: "local" }).host).to.equal("local");
        expect(parseConfig(valid).remote).to.equal(undefined);
    });

    it("reads per-role disk and network caps, uncapped (0) by default", () => {
        const t = parseConfig({ ...valid, topology: { database: { diskIops: 500, diskMBps: "50" }, broker: { netMbps: 100 } } }).topology;
        expect(t.database).to.include({ diskIops: 500, diskMBps: 50, netMbps: 0 });
        expect(t.broker).to.include({ diskIops: 0, netMbps: 100 });
    });

    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
        ["missing platform", {}, /virt-testbed:platform: is not set.*pulumi config set virt-testbed:platform/],
        ["unknown platform", { platform: "vmware" }, /virt-testbed:platform: must be one of lxc, kvm, xen, native, got "vmware"/],
        ["bad NIC model", { platform: "kvm", kvm: { nicModel: "rtl8139" } }, /virt-testbed:kvm.nicModel: must be one of virtio, e1000, got "rtl8139"/],
        ["bad accelerator", { platform: "kvm", kvm: { accel: "hvf" } }, /virt-testbed:kvm.accel: must be one of auto, kvm, tcg/],
        [
            "kvm settings on an lxc stack",
            { platform: "lxc", kvm: { nicModel: "e1000" } },
            /virt-testbed:kvm: applies to the kvm platform only, this stack is lxc/,
        ],
        ["compact as a word", { ...valid, topology: { compact: "yes" } }, /virt-testbed:topology.compact: must be true or false/],
        ["a nested lxc host", { ...valid, host: "nested" }, /virt-testbed:host: nested hosts are for the xen platform only/],
        ["hvm guests", { platform: "xen", xen: { guestType: "hvm" } }, /virt-testbed:xen.guestType: hvm needs Xen's device model/],
        ["unknown guest type", { platform: "xen", xen: { guestType: "hvm-ish" } }, /virt-testbed:xen.guestType: must be one of pv, pvh/],
        ["a tiny dom0", { platform: "xen", xen: { dom0MemoryMiB: 128 } }, /virt-testbed:xen.dom0MemoryMiB: must be an integer from 512/],
        ["xen settings on a kvm stack", { platform: "kvm", xen: { guestType: "pv" } }, /virt-testbed:xen: applies to the xen platform only, this stack is kvm/],
        [
            "a remote host whose key is not pinned",
            { ...valid, host: "ssh://root@h" },
            /virt-testbed:hostKey: a remote host's SSH host key must be pinned.*ssh-keygen -lf/,
        ],
        [
            "a host key that is neither key nor fingerprint",
            { ...valid, host: "ssh://root@h", hostKey: "MD5:aa:bb" },
            /virt-testbed:hostKey: must be a public key .* or its SHA256 fingerprint/,
        ],
        [
            "a host key on a local stack",
            { ...valid, hostKey: "SHA256:" + "a".repeat(43) },
            /virt-testbed:hostKey: applies to a remote host \(host: ssh:\/\/user@host\) only, this stack's host is local/,
        ],
        [
            "a relative identity",
            { ...valid, host: "ssh://root@h", hostKey: "SHA256:" + "a".repeat(43), hostIdentity: "id_ed25519" },
            /virt-testbed:hostIdentity: must be the absolute path/,
        ],
        ["bad host", { ...valid, host: 42 }, /virt-testbed:host: must be "local" or ssh:\/\/user@host\[:port\]/],
        ["ssh URI without user", { ...valid, host: "ssh://kvm-host" }, /virt-testbed:host: must be "local" or ssh:/],
        ["negative disk cap", { ...valid, topology: { database: { diskIops: -1 } } }, /virt-testbed:topology.database.diskIops: must be an integer from 0/],
        ["network cap in words", { ...valid, topology: { ingest: { netMbps: "fast" } } }, /virt-testbed:topology.ingest.netMbps: must be an integer/],
        ["bridge too long", { ...valid, network: { bridge: "a-very-long-bridge-name" } }, /virt-testbed:network.bridge: must be a Linux interface name/],
        ["bridge with space", { ...valid, network: { bridge: "br 0" } }, /network.bridge/],
        ["public subnet", { ...valid, network: { subnet: "8.8.8.0/24" } }, /virt-testbed:network.subnet: must be a private IPv4 \/24/],
        ["not a /24", { ...valid, network: { subnet: "10.0.0.0/16" } }, /network.subnet/],
        ["octet out of range", { ...valid, network: { subnet: "10.300.0.0/24" } }, /network.subnet/],
        ["zero vcpus", { ...valid, topology: { broker: { vcpus: 0 } } }, /virt-testbed:topology.broker.vcpus: must be an integer from 1 to 64, got 0/],
        [
            "a CPU share above the vCPUs",
            { ...valid, topology: { broker: { vcpus: 1, cpuPercent: 150 } } },
            /virt-testbed:topology.broker.cpuPercent: \(150 % of one core\) is more than the guest's 1 vCPU\(s\) can use.*at most 100/,
        ],
        ["fractional memory", { ...valid, topology: { database: { memoryMiB: 512.5 } } }, /topology.database.memoryMiB: must be an integer/],
        ["too little memory", { ...valid, topology: { visualization: { memoryMiB: 64 } } }, /topology.visualization.memoryMiB: must be an integer from 256/],
        ["no workers", { ...valid, topology: { ingest: { workers: 0 } } }, /topology.ingest.workers: must be an integer from 1 to 32/],
        ["workers on the broker", { ...valid, topology: { broker: { workers: 2 } } }, /virt-testbed:topology.broker.workers: is not a known setting/],
        ["unknown role", { ...valid, topology: { cache: {} } }, /virt-testbed:topology.cache: is not a known setting.*broker, database, ingest, visualization/],
        ["one repetition", { ...valid, benchmark: { repetitions: 1 } }, /benchmark.repetitions: must be an integer from 2/],
        ["negative rate", { ...valid, benchmark: { rate: -5 } }, /benchmark.rate/],
        ["rate as words", { ...valid, benchmark: { rate: "fast" } }, /benchmark.rate: must be an integer .* got "fast"/],
        ["tiny ceiling run", { ...valid, benchmark: { ceilingSeconds: 1 } }, /benchmark.ceilingSeconds: must be an integer from 5/],
        [
            "a search whose top is below its start",
            { ...valid, benchmark: { saturation: { startRate: 800, maxRate: 400 } } },
            /benchmark.saturation.maxRate: \(400\) is below startRate/,
        ],
        ["unknown search key", { ...valid, benchmark: { saturation: { steps: 3 } } }, /benchmark.saturation.steps: is not a known setting/],
        [
            "a one-second search step",
            { ...valid, benchmark: { saturation: { stepSeconds: 1 } } },
            /benchmark.saturation.stepSeconds: must be an integer from 3/,
        ],
        ["unknown benchmark key", { ...valid, benchmark: { warmup: 3 } }, /benchmark.warmup: is not a known setting/],
        ["topology not a map", { ...valid, topology: "big" }, /virt-testbed:topology: must be a map/],
        ["unknown top-level key", { ...valid, colour: "blue" }, /virt-testbed:colour: is not a known setting/],
    ];
    for (const [name, raw, message] of cases) {
        it(`rejects ${name} with a message naming the setting`, () => {
            expect(errorOf(raw)).to.match(message);
        });
    }
});

describe("benchmark selection", () => {
    it("takes a list or a comma-separated string of known benchmarks", () => {
        expect(parseConfig({ platform: "lxc", benchmark: { suites: ["db", "cpu"] } }).benchmark.suites).to.deep.equal(["db", "cpu"]);
        expect(parseConfig({ platform: "lxc", benchmark: { suites: "pipeline, db" } }).benchmark.suites).to.deep.equal(["pipeline", "db"]);
    });
    it("refuses unknown, repeated or no benchmarks, naming the setting", () => {
        expect(() => parseConfig({ platform: "lxc", benchmark: { suites: ["fork-bomb"] } })).to.throw(
            /virt-testbed:benchmark.suites: has an unknown name "fork-bomb".*known: pipeline, saturation, analogs, faults, cpu, memory, disk, network, db, entitlement, isolation/,
        );
        expect(() => parseConfig({ platform: "lxc", benchmark: { suites: ["cpu", "cpu"] } })).to.throw(/benchmark.suites: names one twice/);
        expect(() => parseConfig({ platform: "lxc", benchmark: { suites: [] } })).to.throw(/benchmark.suites: must be a non-empty list/);
    });
});
