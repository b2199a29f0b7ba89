import { expect } from "chai";
import { ConfigError, parseConfig } from "../../components/config";
import { operationsGuest } from "../../components/operationsGuest";
import { checkCapacity, checkGuestMemory, checkNetwork, demand, freeSubnet, HostNetwork, networkConflicts, overlaps } from "../../components/preflight";

const host: HostNetwork = {
    addresses: [
        { ifname: "lo", cidr: "127.0.0.1/8" },
        { ifname: "eth0", cidr: "192.0.2.2/24" },
        { ifname: "docker0", cidr: "10.231.1.1/24" },
        { ifname: "vtb-lxc", cidr: "10.231.4.1/24" },
    ],
    routes: [
        { dst: "default", dev: "eth0" },
        { dst: "10.231.2.0/23", dev: "wg0" },
        { dst: "10.231.4.0/24", dev: "vtb-lxc" },
    ],
};
const big = { cores: 16, memoryMiB: 65536, generatorHeapBytes: 4 * 2 ** 30 };

function configError(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return (e as Error).message;
    }
    throw new Error("expected a ConfigError");
}

describe("network plan against the host", () => {
    it("tells overlapping networks", () => {
        expect(overlaps("10.231.1.0/24", "10.231.1.1/24")).to.equal(true);
        expect(overlaps("10.231.2.0/23", "10.231.3.0/24")).to.equal(true);
        expect(overlaps("10.0.0.0/8", "10.231.1.0/24")).to.equal(true);
        expect(overlaps("10.231.1.0/24", "10.231.5.0/24")).to.equal(false);
        expect(overlaps("10.231.1.7", "10.231.1.0/24")).to.equal(true);
    });

    it("finds addresses, routes and other stacks in the subnet, but not our own bridge", () => {
        expect(networkConflicts({ bridge: "x", subnet: "10.231.1.0/24" }, host, new Set(), [])).to.deep.equal(["address 10.231.1.1/24 on docker0"]);
        expect(networkConflicts({ bridge: "x", subnet: "10.231.3.0/24" }, host, new Set(), [])).to.deep.equal(["route 10.231.2.0/23 via wg0"]);
        expect(networkConflicts({ bridge: "vtb-lxc", subnet: "10.231.4.0/24" }, host, new Set(["vtb-lxc"]), [])).to.deep.equal([]);
        expect(
            networkConflicts({ bridge: "x", subnet: "10.231.9.0/24" }, host, new Set(), [{ name: "kvm", bridge: "vtb-kvm", subnet: "10.231.9.0/24" }]),
        ).to.deep.equal(["stack 'kvm' of this checkout (subnet 10.231.9.0/24)"]);
    });

    it("suggests the first free subnet", () => {
        expect(freeSubnet(host, [{ name: "kvm", bridge: "vtb-kvm", subnet: "10.231.5.0/24" }])).to.equal("10.231.6.0/24");
    });

    it("refuses a colliding subnet with the setting, the conflict and a free subnet", () => {
        const config = parseConfig({ platform: "lxc", network: { subnet: "10.231.1.0/24", bridge: "vtb-a" } });
        expect(configError(() => checkNetwork(config, host, new Set(), []))).to.match(
            /^virt-testbed:network\.subnet: 10\.231\.1\.0\/24 collides with address 10\.231\.1\.1\/24 on docker0\. .*network\.subnet 10\.231\.5\.0\/24/,
        );
    });

    it("refuses a bridge name another stack of this checkout uses", () => {
        const config = parseConfig({ platform: "lxc", network: { subnet: "10.231.7.0/24", bridge: "vtb-kvm" } });
        expect(configError(() => checkNetwork(config, host, new Set(), [{ name: "kvm", bridge: "vtb-kvm", subnet: "10.231.2.0/24" }]))).to.match(
            /network\.bridge: vtb-kvm is also the bridge of stack 'kvm'/,
        );
    });

    it("refuses a bridge name the host already uses for an interface that is not ours", () => {
        const withLinks = {
            ...host,
            links: [{ ifname: "eth0" }, { ifname: "vtb-x", alias: "virt-testbed:99999999/lxc" }, { ifname: "vtb-lxc", alias: "virt-testbed:0123abcd/lxc" }],
        };
        const on = (bridge: string) => parseConfig({ platform: "lxc", network: { subnet: "10.231.7.0/24", bridge } });
        expect(configError(() => checkNetwork(on("eth0"), withLinks, new Set(), [], "virt-testbed:0123abcd/lxc"))).to.match(
            /^virt-testbed:network\.bridge: an interface named eth0 already exists and it was not made by virt-testbed/,
        );
        expect(configError(() => checkNetwork(on("vtb-x"), withLinks, new Set(), [], "virt-testbed:0123abcd/lxc"))).to.match(/another checkout/);
        expect(() => checkNetwork(on("vtb-lxc"), withLinks, new Set(["vtb-lxc"]), [], "virt-testbed:0123abcd/lxc")).not.to.throw();
    });

    it("rejects leading zeros in the subnet (ip reads them as octal)", () => {
        expect(configError(() => parseConfig({ platform: "lxc", network: { subnet: "010.231.1.0/24" } }))).to.match(
            /network\.subnet: has an octet with a leading zero/,
        );
    });
});

describe("capacity against the host", () => {
    it("counts the platform's own memory: QEMU per VM, the nested Xen host", () => {
        expect(demand(parseConfig({ platform: "lxc" })).memoryMiB).to.equal(3072);
        expect(demand(parseConfig({ platform: "kvm", topology: { compact: true } })).memoryMiB).to.equal(3072 + 2 * 256);
        expect(demand(parseConfig({ platform: "xen", topology: { compact: true } })).memoryMiB).to.equal(3072 + 1024 + 256 + 256);
    });

    it("counts the operations guest twice when it migrates: within one host both copies exist at once", () => {
        const ops = (steps: string[]) =>
            parseConfig({ platform: "kvm", topology: { compact: true }, benchmark: { suites: ["operations"], operations: { steps } } });
        const guest = operationsGuest(ops(["migrate"]))[0];
        expect(demand(ops(["pause", "migrate"])).memoryMiB - demand(ops(["pause"])).memoryMiB).to.equal(guest.memoryMiB);
        const msg = configError(() => checkCapacity(ops(["migrate"]), { ...big, memoryMiB: 4096 }));
        expect(msg).to.match(/\(with the platform's own and the migrating guest's second copy\)/);
    });

    it("refuses a guest smaller than its platform boots, naming the setting that sized it (a 256 MiB PV domU panics at boot)", () => {
        const density = (platform: string, memoryMiB: number) =>
            parseConfig({ platform, topology: { compact: true }, benchmark: { suites: ["density"], density: { guests: [1], memoryMiB } } });
        expect(configError(() => checkGuestMemory(density("xen", 256)))).to.match(
            /^virt-testbed:benchmark\.density\.memoryMiB: guest dense1 would have 256 MiB, and a xen guest needs at least 512 MiB: a PV domU .* Set benchmark\.density\.memoryMiB to 512 or more\./,
        );
        expect(() => checkGuestMemory(density("xen", 512))).not.to.throw();
        // Unset, the density guests are as small as the platform boots.
        const byDefault = (platform: string) => parseConfig({ platform, benchmark: { suites: ["density"] } });
        expect(byDefault("xen").benchmark.density.memoryMiB).to.equal(512);
        expect(byDefault("lxc").benchmark.density.memoryMiB).to.equal(256);
        expect(() => checkGuestMemory(byDefault("xen"))).not.to.throw();
        expect(() => checkGuestMemory(density("kvm", 256))).not.to.throw();
        expect(configError(() => checkGuestMemory(parseConfig({ platform: "xen", topology: { visualization: { memoryMiB: 256 } } })))).to.match(
            /^virt-testbed:topology\.visualization\.memoryMiB: guest visualization would have 256 MiB/,
        );
    });

    it("accepts a stack that fits and reports nothing", () => {
        expect(checkCapacity(parseConfig({ platform: "lxc" }), big)).to.deep.equal([]);
    });

    it("refuses vCPUs above the host's cores and memory above what it can give, naming the host's figures", () => {
        const small = { ...big, cores: 2, memoryMiB: 4096 };
        const msg = configError(() => checkCapacity(parseConfig({ platform: "lxc", topology: { broker: { vcpus: 4 } } }), small));
        expect(msg).to.match(
            /^virt-testbed:topology: the stack does not fit this host: a guest has 4 vCPUs, the host 2 cores; the guests need 3072 MiB .* can give 2048 MiB \(4096 MiB less 2048/,
        );
        expect(msg).to.match(/overcommit true/);
    });

    it("accepts an overcommit only when the stack says so, and returns what is overcommitted", () => {
        const over = checkCapacity(parseConfig({ platform: "lxc", overcommit: true, topology: { broker: { vcpus: 4 } } }), { ...big, cores: 2 });
        expect(over).to.deep.equal(["a guest has 4 vCPUs, the host 2 cores"]);
    });

    it("refuses a benchmark whose observations cannot fit in the generator's heap, even with overcommit", () => {
        const config = parseConfig({ platform: "lxc", overcommit: true, benchmark: { rate: 1000000, durationSeconds: 3600 } });
        expect(configError(() => checkCapacity(config, big))).to.match(/^virt-testbed:benchmark\.rate: .* more than half its 4096 MiB heap/);
    });
});
