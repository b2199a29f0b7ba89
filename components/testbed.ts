import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { Role, ROLES, TestbedConfig } from "./config";
import { StackSecrets } from "./secrets";
import { BaseImage } from "./image";
import { Bridge } from "./network/bridge";
import { ipPlan } from "./network/ipPlan";
import { Guest } from "./guest";
import { RemoteCommand } from "./remote";
import { BenchmarkRun } from "./benchmark";
import { GUEST_BUNDLE, bundleHash } from "./guestBundle";
import { AMQP_PORT, brokerScript } from "./middleware/broker";
import { databaseScript, PG_PORT } from "./middleware/database";
import { ingestScript } from "./middleware/ingest";
import { DASHBOARD_PORT, visualizationScript } from "./middleware/visualization";
import type { Metrics, SuiteInput } from "../workloads/suite";

export interface TestbedArgs {
    /** The validated stack configuration. */
    config: TestbedConfig;
    /** Stack name; names the guests so that stacks coexist on one host. */
    stack: string;
}

/** The whole testbed of one stack: network, guests, middleware roles and the benchmark run. */
export class Testbed extends pulumi.ComponentResource {
    readonly metrics: pulumi.Output<Metrics>;
    readonly guests: pulumi.Output<unknown>;
    readonly dashboardUrl: string;
    /** amqp://user:password@host:port, a secret. */
    readonly brokerUrl: pulumi.Output<string>;
    readonly timings: pulumi.Output<unknown>;

    constructor(name: string, args: TestbedArgs, opts?: pulumi.ComponentResourceOptions) {
        super("virt-testbed:index:Testbed", name, {}, opts);
        const { config, stack } = args;
        const child = { parent: this };
        const plan = ipPlan(config.network.subnet);

        const secrets = new StackSecrets("secrets", { stack }, child);
        const image = new BaseImage("base-image", child);
        const bridge = new Bridge("bridge", { name: config.network.bridge, hostCidr: plan.hostCidr }, child);

        const guests = {} as Record<Role, Guest>;
        for (const role of ROLES) {
            const size = config.topology[role];
            guests[role] = new Guest(role, {
                platform: config.platform,
                name: `vtb-${stack}-${role}`,
                role,
                vcpus: size.vcpus,
                memoryMiB: size.memoryMiB,
                cidr: plan.guests[role].cidr,
                bridge: bridge.name,
                rootfs: image.rootfs,
                authorizedKey: secrets.sshPublicKey,
            }, { ...child, dependsOn: [bridge] });
        }
        const at = (role: Role) => ({ address: guests[role].address, privateKey: secrets.sshPrivateKey });
        const amqpUrl = pulumi.interpolate`amqp://vtb:${secrets.brokerPassword}@${plan.guests.broker.address}:${AMQP_PORT}`;
        const pgUrl = pulumi.interpolate`postgres://vtb:${secrets.databasePassword}@${plan.guests.database.address}:${PG_PORT}/sensing`;

        const broker = new RemoteCommand("broker-setup", {
            ...at("broker"),
            create: secrets.brokerPassword.apply((password) => brokerScript({ password, memoryMiB: config.topology.broker.memoryMiB, readyTimeoutSeconds: 300 })),
            timeoutSeconds: 360,
        }, child);
        const database = new RemoteCommand("database-setup", {
            ...at("database"),
            create: secrets.databasePassword.apply((password) => databaseScript({ password, subnet: config.network.subnet, memoryMiB: config.topology.database.memoryMiB })),
        }, child);
        const upload = { upload: GUEST_BUNDLE, uploadTo: "/opt/vtb", uploadHash: bundleHash() };
        const ingest = new RemoteCommand("ingest-setup", {
            ...at("ingest"), ...upload,
            create: pulumi.all([amqpUrl, pgUrl]).apply(([a, p]) => ingestScript({ amqpUrl: a, pgUrl: p, workers: config.topology.ingest.workers })),
        }, { ...child, dependsOn: [broker, database] });
        const visualization = new RemoteCommand("visualization-setup", {
            ...at("visualization"), ...upload,
            create: pgUrl.apply((p) => visualizationScript({ pgUrl: p })),
        }, { ...child, dependsOn: [database] });

        const bench = new BenchmarkRun("benchmark", {
            stack,
            platform: config.platform,
            emulated: guests.broker.emulated,
            guests: pulumi.all([guests.broker.address, guests.database.address, guests.ingest.address, guests.visualization.address])
                .apply(([broker, database, ingest, visualization]): SuiteInput["guests"] => ({ broker, database, ingest, visualization })),
            brokerPassword: secrets.brokerPassword,
            databasePassword: secrets.databasePassword,
            sshPrivateKey: secrets.sshPrivateKey,
            dashboardPort: DASHBOARD_PORT,
            configHash: createHash("sha256").update(JSON.stringify(config)).digest("hex").slice(0, 16),
            imageHash: image.recipeHash,
            platformVersion: guests.broker.details.apply((d) => String(d.platformVersion ?? "unknown")),
            benchmark: config.benchmark,
        }, { ...child, dependsOn: [ingest, visualization] });

        this.metrics = bench.metrics;
        this.guests = pulumi.output(Object.fromEntries(ROLES.map((role) => [`vtb-${stack}-${role}`, {
            role,
            platform: config.platform,
            address: guests[role].address,
            vcpus: config.topology[role].vcpus,
            memoryMiB: config.topology[role].memoryMiB,
            emulated: guests[role].emulated,
            details: guests[role].details,
        }])));
        this.dashboardUrl = `http://${plan.guests.visualization.address}:${DASHBOARD_PORT}/`;
        this.brokerUrl = pulumi.secret(amqpUrl);
        this.timings = pulumi.output({
            image: { buildSeconds: image.buildSeconds, cached: image.cached, sizeBytes: image.sizeBytes, rootfs: image.rootfs },
            guests: Object.fromEntries(ROLES.map((role) => [role, {
                provisionSeconds: guests[role].provisionSeconds,
                bootToReadySeconds: guests[role].bootToReadySeconds,
            }])),
            benchmarkSeconds: bench.suiteSeconds,
        });
        this.registerOutputs({ metrics: this.metrics, guests: this.guests, dashboardUrl: this.dashboardUrl, brokerUrl: this.brokerUrl, timings: this.timings });
    }
}
