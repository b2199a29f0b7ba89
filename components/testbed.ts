import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { Role, TestbedConfig } from "./config";
import { StackSecrets } from "./secrets/stackSecrets";
import { BaseImage } from "./image/baseImage";
import { Bridge } from "./network/bridge";
import { ipPlan } from "./network/ipPlan";
import { guestOf, placement } from "./roles/placement";
import { Guest } from "./platforms/guest";
import { NestedXenHost } from "./platforms/xen/nestedHost";
import { RemoteCommand } from "./roles/remoteCommand";
import { BenchmarkRun } from "./benchmarkRun";
import { GUEST_BUNDLE, bundleHash } from "./guestBundle";
import { AMQP_PORT, brokerScript } from "./roles/broker";
import { databaseScript, PG_PORT } from "./roles/database";
import { ingestScript } from "./roles/ingest";
import { DASHBOARD_PORT, visualizationScript } from "./roles/visualization";
import type { Metrics, SuiteInput } from "../workloads/harness/suite";

export interface TestbedArgs {
    /** The validated stack configuration. */
    config: TestbedConfig;
    /** Stack name; names the guests so that stacks coexist on one host. */
    stack: string;
    /** Ownership mark every host object of the stack carries (components/ownership.ts). */
    owner: string;
}

/** The whole testbed of one stack: network, guests, middleware roles and the benchmark run. */
export class Testbed extends pulumi.ComponentResource {
    readonly metrics: pulumi.Output<Metrics>;
    readonly guests: pulumi.Output<unknown>;
    readonly dashboardUrl: string;
    /** amqp://user:password@host:port, a secret. */
    readonly brokerUrl: pulumi.Output<string>;
    readonly timings: pulumi.Output<unknown>;
    /** Where the guests run: this machine, or the nested Xen host with what Xen reports. */
    readonly host: pulumi.Output<unknown>;

    constructor(name: string, args: TestbedArgs, opts?: pulumi.ComponentResourceOptions) {
        super("virt-testbed:index:Testbed", name, {}, opts);
        const { config, stack, owner } = args;
        const child = { parent: this };
        const layout = placement(config.topology);
        const plan = ipPlan(config.network.subnet, layout.map((g) => g.name));

        const secrets = new StackSecrets("secrets", { stack }, child);
        const image = new BaseImage("base-image", { owner }, child);
        const bridge = new Bridge("bridge", { name: config.network.bridge, hostCidr: plan.hostCidr, owner }, child);

        // A xen stack boots its own Xen host first (no Xen on this machine's metal); its guests run in it.
        const xenHost = config.host === "nested" ? new NestedXenHost("xen-host", {
            name: `vtb-${stack}-xenhost`,
            owner,
            cidr: plan.nestedHostCidr,
            bridge: bridge.name,
            rootfs: image.rootfs,
            authorizedKey: secrets.sshPublicKey,
            privateKey: secrets.sshPrivateKey,
            dom0MemoryMiB: Number(config.platformOptions.dom0MemoryMiB),
            guestMemoryMiB: layout.reduce((sum, g) => sum + g.memoryMiB, 0),
            vcpus: Math.max(2, ...layout.map((g) => g.vcpus)),
        }, { ...child, dependsOn: [bridge] }) : undefined;
        const options = xenHost
            ? pulumi.all([xenHost.xenVersion, xenHost.emulated]).apply(([v, e]) => ({ ...config.platformOptions, xenVersion: `Xen ${v}`, hostEmulated: String(e) }))
            : config.platformOptions;

        const guests: Record<string, Guest> = {};
        for (const g of layout) {
            guests[g.name] = new Guest(g.name, {
                platform: config.platform,
                name: `vtb-${stack}-${g.name}`,
                owner,
                running: true,
                role: g.roles.join("+"),
                vcpus: g.vcpus,
                memoryMiB: g.memoryMiB,
                limits: g.limits,
                cidr: plan.guests[g.name].cidr,
                bridge: bridge.name,
                rootfs: image.rootfs,
                authorizedKey: secrets.sshPublicKey,
                options,
                ...(xenHost ? { hostAddress: xenHost.address, hostPrivateKey: xenHost.privateKey } : {}),
            }, { ...child, dependsOn: xenHost ? [bridge, xenHost] : [bridge] });
        }
        const guestFor = (role: Role) => guests[guestOf(layout, role).name];
        const addressOf = (role: Role) => plan.guests[guestOf(layout, role).name].address;
        const emulated = guests[layout[0].name].emulated;
        // Every guest gets the compiled workloads: the roles run them, the suite's probes too.
        const upload = { upload: GUEST_BUNDLE, uploadTo: "/opt/vtb", uploadHash: bundleHash() };
        const at = (role: Role) => ({ address: guestFor(role).address, guestInstance: guestFor(role).instance, privateKey: secrets.sshPrivateKey, ...upload });
        const amqpUrl = pulumi.interpolate`amqp://vtb:${secrets.brokerPassword}@${addressOf("broker")}:${AMQP_PORT}`;
        const pgUrl = pulumi.interpolate`postgres://vtb:${secrets.databasePassword}@${addressOf("database")}:${PG_PORT}/sensing`;

        // Erlang's JIT is the worst case for emulation: RabbitMQ took 426 s to accept AMQP under TCG here.
        const brokerReady = emulated.apply((e) => (e ? 1200 : 300));
        const broker = new RemoteCommand("broker-setup", {
            ...at("broker"),
            create: pulumi.all([secrets.brokerPassword, brokerReady]).apply(([password, readyTimeoutSeconds]) =>
                brokerScript({ password, memoryMiB: config.topology.broker.memoryMiB, readyTimeoutSeconds })),
            timeoutSeconds: brokerReady.apply((t) => t + 60),
        }, child);
        const database = new RemoteCommand("database-setup", {
            ...at("database"),
            create: secrets.databasePassword.apply((password) => databaseScript({ password, subnet: config.network.subnet, memoryMiB: config.topology.database.memoryMiB })),
        }, child);
        const ingest = new RemoteCommand("ingest-setup", {
            ...at("ingest"),
            create: pulumi.all([amqpUrl, pgUrl]).apply(([a, p]) => ingestScript({ amqpUrl: a, pgUrl: p, workers: config.topology.ingest.workers })),
        }, { ...child, dependsOn: [broker, database] });
        const visualization = new RemoteCommand("visualization-setup", {
            ...at("visualization"),
            create: pgUrl.apply((p) => visualizationScript({ pgUrl: p })),
        }, { ...child, dependsOn: [database] });

        const bench = new BenchmarkRun("benchmark", {
            stack,
            platform: config.platform,
            emulated,
            guests: pulumi.all([guestFor("broker").address, guestFor("database").address, guestFor("ingest").address, guestFor("visualization").address])
                .apply(([broker, database, ingest, visualization]): SuiteInput["guests"] => ({ broker, database, ingest, visualization })),
            brokerPassword: secrets.brokerPassword,
            databasePassword: secrets.databasePassword,
            sshPrivateKey: secrets.sshPrivateKey,
            dashboardPort: DASHBOARD_PORT,
            configHash: createHash("sha256").update(JSON.stringify(config)).digest("hex").slice(0, 16),
            imageHash: image.recipeHash,
            platformVersion: guests[layout[0].name].details.apply((d) => String(d.platformVersion ?? "unknown")),
            benchmark: config.benchmark,
            guestInstances: pulumi.all(layout.map((g) => guests[g.name].instance)),
        }, { ...child, dependsOn: [ingest, visualization] });

        this.metrics = bench.metrics;
        this.guests = pulumi.output(Object.fromEntries(layout.map((g) => [`vtb-${stack}-${g.name}`, {
            roles: g.roles,
            platform: config.platform,
            address: guests[g.name].address,
            vcpus: g.vcpus,
            memoryMiB: g.memoryMiB,
            limits: g.limits,
            emulated: guests[g.name].emulated,
            details: guests[g.name].details,
        }])));
        this.dashboardUrl = `http://${addressOf("visualization")}:${DASHBOARD_PORT}/`;
        this.brokerUrl = pulumi.secret(amqpUrl);
        this.timings = pulumi.output({
            image: { buildSeconds: image.buildSeconds, cached: image.cached, sizeBytes: image.sizeBytes, rootfs: image.rootfs },
            guests: Object.fromEntries(layout.map((g) => [g.name, {
                provisionSeconds: guests[g.name].provisionSeconds,
                bootToReadySeconds: guests[g.name].bootToReadySeconds,
            }])),
            ...(xenHost ? { xenHost: { bootToReadySeconds: xenHost.bootToReadySeconds } } : {}),
            benchmarkSeconds: bench.suiteSeconds,
        });
        this.host = xenHost
            ? pulumi.output({
                kind: "nested", name: `vtb-${stack}-xenhost`, address: xenHost.address, emulated: xenHost.emulated, accel: xenHost.accel,
                memoryMiB: xenHost.memoryMiB, xenVersion: xenHost.xenVersion, xenScheduler: xenHost.xenScheduler, virtCaps: xenHost.virtCaps,
            })
            : pulumi.output({ kind: "local" });
        this.registerOutputs({ metrics: this.metrics, guests: this.guests, dashboardUrl: this.dashboardUrl, brokerUrl: this.brokerUrl, timings: this.timings, host: this.host });
    }
}
