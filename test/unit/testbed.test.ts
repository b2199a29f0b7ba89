import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../../components/config";

interface Created {
    type: string;
    name: string;
    inputs: Record<string, any>;
}

describe("Testbed component graph (Pulumi mocks)", function () {
    this.timeout(30000);
    const created: Created[] = [];
    let tb: import("../../components/testbed").Testbed;

    before(async () => {
        pulumi.runtime.setMocks(
            {
                newResource(args) {
                    created.push({ type: args.type, name: args.name, inputs: args.inputs });
                    const outs: Record<string, unknown> = { ...args.inputs };
                    if (args.inputs.cidr) outs.address = String(args.inputs.cidr).split("/")[0];
                    if (args.name === "base-image") outs.rootfs = "/cache/rootfs";
                    if (args.name === "secrets")
                        Object.assign(outs, { sshPublicKey: "ssh-ed25519 K", sshPrivateKey: "PRIV", brokerPassword: "bp", databasePassword: "dp" });
                    if (args.name.endsWith("-setup") || args.name === "benchmark") outs.metrics = { schema: "virt-testbed/metrics@2" };
                    outs.details = {};
                    if (args.inputs.role !== undefined) outs.instance = `${args.name}-instance`;
                    if (args.inputs.role !== undefined) outs.sshHostKey = `ssh-ed25519 HK-${args.name}`;
                    return { id: `${args.name}-id`, state: outs };
                },
                call: (args) => args.inputs,
            },
            "virt-testbed",
            "unit",
            false,
        );
        const { Testbed } = await import("../../components/testbed");
        const config = parseConfig({ platform: "lxc", topology: { ingest: { workers: 3, vcpus: 2 } }, network: { subnet: "10.231.5.0/24" } });
        tb = new Testbed("testbed", { config, stack: "unit", owner: "virt-testbed:0123abcd/unit", cores: 2 });
        await new Promise((r) => setTimeout(r, 500));
    });

    const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
    const dynamicOf = (name: string) => created.find((c) => c.name === name && c.type.startsWith("pulumi-nodejs:dynamic"));

    it("creates one guest per role, named per stack, with the topology's size", () => {
        const guests = created.filter((c) => c.inputs.role !== undefined && c.inputs.cidr !== undefined);
        expect(guests.map((g) => g.name).sort()).to.deep.equal(["broker", "database", "ingest", "visualization"]);
        const ingest = dynamicOf("ingest")!;
        expect(ingest.inputs).to.include({ name: "vtb-unit-ingest", vcpus: 2, memoryMiB: 512, cidr: "10.231.5.12/24", platform: "lxc" });
    });

    it("creates the stack's bridge with the host address, secrets and the base image", () => {
        expect(dynamicOf("bridge")!.inputs).to.include({ name: "vtb-lxc", hostCidr: "10.231.5.1/24", owner: "virt-testbed:0123abcd/unit" });
        expect(dynamicOf("secrets")).to.exist;
        expect(dynamicOf("base-image")!.inputs.recipeHash).to.match(/^[0-9a-f]{16}$/);
    });

    it("pins each guest's SSH host key: the set-up in a guest and the benchmark connect with the key that guest reported", () => {
        expect(dynamicOf("broker-setup")!.inputs.hostKey).to.equal("ssh-ed25519 HK-broker");
        expect(dynamicOf("ingest-setup")!.inputs.hostKey).to.equal("ssh-ed25519 HK-ingest");
        expect(dynamicOf("benchmark")!.inputs.sshHostKeys).to.deep.equal({
            "10.231.5.10": "ssh-ed25519 HK-broker",
            "10.231.5.11": "ssh-ed25519 HK-database",
            "10.231.5.12": "ssh-ed25519 HK-ingest",
            "10.231.5.13": "ssh-ed25519 HK-visualization",
        });
    });

    it("marks every guest with the stack's owner", () => {
        const guests = created.filter((c) => c.inputs.role !== undefined && c.inputs.cidr !== undefined);
        for (const g of guests) expect(g.inputs, g.name).to.include({ owner: "virt-testbed:0123abcd/unit", running: true });
    });

    it("ties each role's set-up and the benchmark to the guests' instances, so a recreated guest is set up and measured again", () => {
        expect(dynamicOf("broker-setup")!.inputs.guestInstance).to.equal("broker-instance");
        expect(dynamicOf("visualization-setup")!.inputs.guestInstance).to.equal("visualization-instance");
        expect(dynamicOf("benchmark")!.inputs.guestInstances).to.have.members([
            "broker-instance",
            "database-instance",
            "ingest-instance",
            "visualization-instance",
        ]);
    });

    it("provisions every role and then runs the benchmark", () => {
        for (const n of ["broker-setup", "database-setup", "ingest-setup", "visualization-setup", "benchmark"]) expect(dynamicOf(n), n).to.exist;
        expect(dynamicOf("benchmark")!.inputs.guestVcpus).to.deep.equal({ broker: 1, database: 1, ingest: 2, visualization: 1 });
        expect(dynamicOf("benchmark")!.inputs.benchmark).to.deep.include({
            repetitions: 3,
            suites: ["saturation", "cpu", "memory", "disk", "network", "security"],
        });
    });

    it("declares the middleware as a component with one component per role", () => {
        expect(created.filter((c) => c.type === "virt-testbed:index:Middleware")).to.have.length(1);
        expect(
            created
                .filter((c) => c.type.startsWith("virt-testbed:role:"))
                .map((c) => c.type)
                .sort(),
        ).to.deep.equal(["virt-testbed:role:Broker", "virt-testbed:role:Database", "virt-testbed:role:Ingest", "virt-testbed:role:Visualization"]);
    });

    it("hands the guests the platform's settings and host, never a platform-specific field", () => {
        expect(dynamicOf("broker")!.inputs).to.deep.include({ settings: { privileged: false, pidsMax: 4096 }, host: { kind: "local" } });
        expect(dynamicOf("broker")!.inputs).not.to.have.any.keys("options", "hostAddress", "hostPrivateKey");
    });

    it("keeps the broker URL secret and the dashboard URL plain", async () => {
        expect(tb.dashboardUrl).to.equal("http://10.231.5.13:8080/");
        expect(await pulumi.isSecret(tb.brokerUrl)).to.equal(true);
        expect(await value(tb.brokerUrl)).to.equal("amqp://vtb:bp@10.231.5.10:5672");
    });

    it("exports a guests map with role, address and size", async () => {
        const guests = (await value(tb.guests)) as Record<string, any>;
        expect(guests["vtb-unit-broker"]).to.deep.include({ roles: ["broker"], address: "10.231.5.10", vcpus: 1, memoryMiB: 1024 });
    });
});
