import { expect } from "chai";
import { lxcConfig } from "../../components/platforms/lxc/lxcConfig";
import { hostLinkName, macAddress } from "../../components/platforms/common/link";
import { ipPlan } from "../../components/network/ipPlan";
import { brokerScript } from "../../components/roles/broker";
import { databaseScript, readOnlyPassword } from "../../components/roles/database";
import { ingestScript } from "../../components/roles/ingest";
import { visualizationScript } from "../../components/roles/visualization";
import { expectGolden } from "./golden";
import type { CgroupFacts } from "../../components/lib/cgroups";
import type { GuestSpec } from "../../components/platforms/driver";
import type { LxcSettings } from "../../components/platforms/lxc";

const spec: GuestSpec<LxcSettings> = {
    name: "vtb-lxc-broker",
    owner: "virt-testbed:0123abcd/lxc",
    role: "broker",
    vcpus: 2,
    memoryMiB: 1024,
    limits: { cpuPercent: 0, diskIops: 0, diskMBps: 0, netMbps: 0 },
    cidr: "10.231.1.10/24",
    bridge: "vtb-lxc",
    rootfs: "/cache/images/abc/rootfs",
    authorizedKey: "ssh-ed25519 AAAA test",
    settings: { privileged: false, pidsMax: 4096 },
    host: { kind: "local" },
};
const LOWER = "/cache/images/abc/rootfs-idmap-1000000";
/** A cgroup v1 host (this machine's kind) and a unified one (Debian 12, Ubuntu 22.04+, Fedora). */
const V1: CgroupFacts = { hierarchy: "v1", controllers: ["cpuset", "cpu", "cpuacct", "blkio", "memory", "pids"], source: "/proc/cgroups" };
const V2: CgroupFacts = { hierarchy: "v2", controllers: ["cpuset", "cpu", "io", "memory", "pids"], source: "/sys/fs/cgroup/cgroup.controllers" };

describe("lxc configuration", () => {
    it("matches the golden file", () => expectGolden("lxc-broker.conf", lxcConfig(spec, "254:0", LOWER, V1)));

    it("never points the container at the shared base directly", () => {
        expect(lxcConfig(spec, "254:0", LOWER, V1)).to.match(
            /^lxc.rootfs.path = overlay:\/cache\/images\/abc\/rootfs-idmap-1000000:\/var\/lib\/lxc\/vtb-lxc-broker\/delta0$/m,
        );
    });

    it("maps the container's ids into the testbed's range unless privileged, and bounds its tasks", () => {
        const conf = lxcConfig(spec, "254:0", LOWER, V1);
        expect(conf).to.contain("lxc.include = /usr/share/lxc/config/userns.conf");
        expect(conf).to.contain("lxc.idmap = u 0 1000000 65536").and.contain("lxc.idmap = g 0 1000000 65536");
        expect(conf).to.contain("lxc.cgroup.pids.max = 4096");
        const privileged = lxcConfig({ ...spec, settings: { privileged: true, pidsMax: 512 } }, "254:0", spec.rootfs, V1);
        expect(privileged).not.to.contain("idmap").and.not.to.contain("userns.conf");
        expect(privileged).to.contain("lxc.cgroup.pids.max = 512").and.contain(`overlay:${spec.rootfs}:`);
    });

    it("turns vcpus into a CFS quota and memory into a limit", () => {
        const conf = lxcConfig({ ...spec, vcpus: 3, memoryMiB: 256 }, "254:0", LOWER, V1);
        expect(conf).to.contain("lxc.cgroup.cpu.cfs_quota_us = 300000");
        expect(conf).to.contain("lxc.cgroup.memory.limit_in_bytes = 268435456");
    });

    it("pins the container to its cpuset only when it has one", () => {
        expect(lxcConfig({ ...spec, cpuset: "1" }, "254:0", LOWER, V1)).to.contain("lxc.cgroup.cpuset.cpus = 1");
        expect(lxcConfig(spec, "254:0", LOWER, V1)).not.to.contain("cpuset");
    });

    it("turns a CPU share below the vCPUs into a lower CFS quota", () => {
        const conf = lxcConfig({ ...spec, vcpus: 2, limits: { ...spec.limits, cpuPercent: 50 } }, "254:0", LOWER, V1);
        expect(conf).to.contain("lxc.cgroup.cpu.cfs_quota_us = 50000").and.contain("at 50 % of one core");
    });

    it("throttles the overlay's disk each way only when the role has disk caps", () => {
        expect(lxcConfig(spec, "254:0", LOWER, V1)).not.to.contain("blkio");
        const conf = lxcConfig({ ...spec, limits: { cpuPercent: 0, diskIops: 300, diskMBps: 20, netMbps: 100 } }, "8:0", LOWER, V1);
        expectGolden("lxc-capped.conf", conf);
        expect(conf)
            .to.contain("lxc.cgroup.blkio.throttle.read_iops_device = 8:0 300")
            .and.contain("lxc.cgroup.blkio.throttle.write_bps_device = 8:0 20000000");
    });

    it("writes the unified hierarchy's keys on a cgroup v2 host (liblxc refuses v1 keys there)", () => {
        expectGolden("lxc-broker-cgroup2.conf", lxcConfig({ ...spec, cpuset: "1" }, "254:0", LOWER, V2));
        const conf = lxcConfig({ ...spec, limits: { cpuPercent: 50, diskIops: 300, diskMBps: 20, netMbps: 100 } }, "8:0", LOWER, V2);
        expectGolden("lxc-capped-cgroup2.conf", conf);
        expect(conf).not.to.match(/^lxc\.cgroup\./m);
        expect(conf)
            .to.contain("lxc.cgroup2.cpu.max = 50000 100000")
            .and.contain("lxc.cgroup2.memory.max = 1073741824")
            .and.contain("lxc.cgroup2.pids.max = 4096")
            .and.contain("lxc.cgroup2.io.max = 8:0 rbps=20000000 wbps=20000000 riops=300 wiops=300");
    });

    it("a hybrid host keeps its controllers on v1: v1 keys", () => {
        expect(lxcConfig(spec, "254:0", LOWER, { ...V1, hierarchy: "hybrid" }))
            .to.contain("lxc.cgroup.cpu.cfs_quota_us = 200000")
            .and.not.contain("cgroup2");
    });

    it("leaves out a cap whose controller the host does not give containers (the read-back says why)", () => {
        const noIo = { ...V2, controllers: ["cpu", "memory", "pids"] };
        const conf = lxcConfig({ ...spec, cpuset: "1", limits: { ...spec.limits, diskIops: 300 } }, "8:0", LOWER, noIo);
        expect(conf).not.to.contain("io.max").and.not.contain("cpuset");
    });

    it("names veths within IFNAMSIZ and MACs locally administered, stably", () => {
        expect(hostLinkName("vtb-some-very-long-stack-name-visualization")).to.have.length.at.most(15);
        expect(hostLinkName("a")).to.equal(hostLinkName("a")).and.not.equal(hostLinkName("b"));
        expect(macAddress("a")).to.match(/^02(:[0-9a-f]{2}){5}$/);
    });
});

describe("ip plan", () => {
    it("gives the host .1 and each guest its own address from .10", () => {
        const plan = ipPlan("10.231.7.0/24", ["broker", "database", "ingest", "visualization"]);
        expect(plan.hostCidr).to.equal("10.231.7.1/24");
        expect(plan.guests.broker).to.deep.equal({ address: "10.231.7.10", cidr: "10.231.7.10/24" });
        expect(plan.guests.visualization.address).to.equal("10.231.7.13");
        const addresses = Object.values(plan.guests).map((g) => g.address);
        expect(new Set(addresses).size).to.equal(addresses.length);
    });
});

describe("role provisioning scripts", () => {
    it("broker: matches the golden file, removes the default guest user", () => {
        const s = brokerScript({ password: "PASSWORD", memoryMiB: 1024, readyTimeoutSeconds: 300 });
        expectGolden("broker.sh", s);
        // The stack's user in place of guest, made by the node's first boot; the file readable by root and RabbitMQ only.
        expect(s).to.contain("default_user = vtb\ndefault_pass = PASSWORD\n");
        expect(s).to.contain("(umask 027; cat > /etc/rabbitmq/rabbitmq.conf)");
        expect(s.match(/rabbitmqctl/g), "one rabbitmqctl command").to.have.length(1);
    });
    it("database: matches the golden file, opens only the stack's subnet", () => {
        const s = databaseScript({ password: "PASSWORD", subnet: "10.231.1.0/24", memoryMiB: 1024 });
        expectGolden("database.sh", s);
        expect(s).to.contain("host sensing vtb 10.231.1.0/24 scram-sha-256");
        expect(s).to.contain("PRIMARY KEY (station_id, seq)");
    });
    it("database: gives the dashboard a role that may only read the observations, with its own password", () => {
        const s = databaseScript({ password: "PASSWORD", subnet: "10.231.1.0/24", memoryMiB: 1024 });
        expect(s).to.contain("host sensing vtb_dashboard 10.231.1.0/24 scram-sha-256");
        expect(s).to.contain("GRANT SELECT ON observations TO vtb_dashboard;");
        expect(s.match(/GRANT .* TO vtb_dashboard/g)).to.deep.equal([
            "GRANT CONNECT ON DATABASE sensing TO vtb_dashboard",
            "GRANT USAGE ON SCHEMA public TO vtb_dashboard",
            "GRANT SELECT ON observations TO vtb_dashboard",
        ]);
        expect(readOnlyPassword("PASSWORD"))
            .to.match(/^[0-9a-f]{32}$/)
            .and.not.contain("PASSWORD");
        expect(readOnlyPassword("PASSWORD")).to.equal(readOnlyPassword("PASSWORD")).and.not.equal(readOnlyPassword("OTHER"));
        expect(s).to.contain(`ALTER ROLE vtb_dashboard PASSWORD '${readOnlyPassword("PASSWORD")}';`);
    });
    it("ingest: starts the configured number of workers with a private env file", () => {
        const s = ingestScript({ amqpUrl: "amqp://u:p@b:5672", pgUrl: "postgres://u:p@d/sensing", workers: 3, readyTimeoutSeconds: 60 });
        expectGolden("ingest.sh", s);
        expect(s).to.contain("umask 077");
        expect(s).to.contain("while [ $i -le 3 ]");
        expect(s).to.contain("not consuming after 60 s");
    });
    it("visualization: matches the golden file", () => {
        expectGolden("visualization.sh", visualizationScript({ pgUrl: "postgres://u:p@d/sensing" }));
    });
});
