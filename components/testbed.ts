import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { TestbedConfig } from "./config";
import { StackSecrets } from "./secrets/stackSecrets";
import { BaseImage } from "./image/baseImage";
import { Bridge } from "./network/bridge";
import { ipPlan } from "./network/ipPlan";
import { platformNamed, HostFacts } from "./platforms";
import { Guest } from "./platforms/guest";
import { guestOf, placement } from "./roles/placement";
import { perRole, RoleName } from "./roles";
import { Middleware } from "./roles/middleware";
import { BenchmarkRun } from "./benchmarkRun";
import { allGuests, neighbours, pinning } from "./neighbours";
import { migrationSpareMiB, OPERATIONS_GUEST, operationsGuest } from "./operationsGuest";
import { densityGuests } from "./densityGuests";
import type { HostAccess } from "./platforms/driver";
import type { HostMemoryScripts, MemoryAccounting } from "./platforms/memory";
import type { GuestPlacement } from "./roles/placement";
import type { IsolationMode } from "../workloads/harness/isolation/names";
import type { NeighbourInput } from "../workloads/harness/suite";
import { GUEST_BUNDLE, bundleHash } from "./guestBundle";
import type { GuestOutput, Metrics, Timings } from "./outputs";

export interface TestbedArgs {
    /** The validated stack configuration. */
    config: TestbedConfig;
    /** Stack name; names the guests so that stacks coexist on one host. */
    stack: string;
    /** Ownership mark every host object of the stack carries (components/lib/ownership.ts). */
    owner: string;
    /** This machine's cores (guests of the suites that measure beside a neighbour are pinned apart). */
    cores: number;
}

/**
 * The whole testbed of one stack: its network, the platform's host and guests, the middleware
 * roles on them, and the benchmark run. It never names a platform: it asks the selected one.
 */
export class Testbed extends pulumi.ComponentResource {
    readonly metrics: pulumi.Output<Metrics>;
    readonly guests: pulumi.Output<Record<string, GuestOutput>>;
    readonly dashboardUrl: string;
    /** amqp://user:password@host:port, a secret. */
    readonly brokerUrl: pulumi.Output<string>;
    readonly timings: pulumi.Output<Timings>;
    /** Where the guests run: this machine, or the host the stack booted, with its facts. */
    readonly host: pulumi.Output<HostFacts>;

    constructor(name: string, args: TestbedArgs, opts?: pulumi.ComponentResourceOptions) {
        super("virt-testbed:index:Testbed", name, {}, opts);
        const { config, stack, owner, cores } = args;
        const child = { parent: this };
        const platform = platformNamed(config.platform);
        const layout = placement(config.topology);
        const nearby = neighbours(config);
        const pin = platform.cannotPin
            ? { none: platform.cannotPin }
            : pinning(config, platform.hostCores?.(cores, placement(config.topology).concat(nearby)) ?? cores);
        const everyGuest = allGuests(config, pin);
        const plan = ipPlan(
            config.network.subnet,
            everyGuest.map((g) => g.name),
        );

        const secrets = new StackSecrets("secrets", { stack }, child);
        const image = new BaseImage("base-image", { owner }, child);
        const bridge = new Bridge("bridge", { name: config.network.bridge, hostCidr: plan.hostCidr, owner }, child);
        const host = platform.host(
            {
                stack,
                owner,
                settings: config.settings,
                bridge: bridge.name,
                cidr: plan.platformHostCidr,
                rootfs: image.rootfs,
                authorizedKey: secrets.sshPublicKey,
                privateKey: secrets.sshPrivateKey,
                guests: everyGuest,
                spareMemoryMiB: migrationSpareMiB(config),
            },
            { ...child, dependsOn: [bridge] },
        );

        const guests = Object.fromEntries(
            everyGuest.map((g) => [
                g.name,
                new Guest(
                    g.name,
                    {
                        platform: config.platform,
                        name: `vtb-${stack}-${g.name}`,
                        owner,
                        running: true,
                        role: g.roles.length ? g.roles.join("+") : g.name,
                        vcpus: g.vcpus,
                        memoryMiB: g.memoryMiB,
                        limits: g.limits,
                        ...(g.cpuset ? { cpuset: g.cpuset } : {}),
                        cidr: plan.guests[g.name].cidr,
                        bridge: bridge.name,
                        rootfs: image.rootfs,
                        authorizedKey: secrets.sshPublicKey,
                        settings: config.settings,
                        host: host.access,
                    },
                    { ...child, dependsOn: [bridge, ...host.dependsOn] },
                ),
            ]),
        );
        const guestFor = (role: RoleName) => guests[guestOf(layout, role).name];
        const addressOf = (role: RoleName) => plan.guests[guestOf(layout, role).name].address;
        // The stack runs emulated if any of its guests does; its platform version is every guest's, once.
        const all = Object.values(guests);
        const emulated = pulumi.all(all.map((g) => g.emulated)).apply((es) => es.some((e) => e));
        const platformVersion = pulumi
            .all(all.map((g) => g.details))
            .apply((ds) => [...new Set(ds.map((d) => String(d.platformVersion ?? "unknown")))].join("; "));

        const middleware = new Middleware(
            "middleware",
            {
                guests: perRole((r) => ({ address: addressOf(r), instance: guestFor(r).instance, hostKey: guestFor(r).sshHostKey })),
                topology: config.topology,
                subnet: config.network.subnet,
                secrets: { brokerPassword: secrets.brokerPassword, databasePassword: secrets.databasePassword, sshPrivateKey: secrets.sshPrivateKey },
                emulated,
                // Every guest gets the compiled workloads: the roles run them, the suite's probes too.
                upload: { upload: GUEST_BUNDLE, uploadTo: "/opt/vtb", uploadHash: bundleHash() },
                previousParent: this,
            },
            child,
        );

        // A guest the suites stop and start themselves (operations, density), with its platform's steps for it.
        const operated = (guest: string, address: string) => {
            const name = `vtb-${stack}-${guest}`;
            return { name, address, ...(platform.operations ? { steps: platform.operations(name, owner) } : {}) };
        };
        const dense = densityGuests(config);
        const bench = new BenchmarkRun(
            "benchmark",
            {
                stack,
                platform: config.platform,
                emulated,
                guests: pulumi.output(perRole((r) => guestFor(r).address)),
                guestVcpus: perRole((r) => guestOf(layout, r).vcpus),
                ingestWorkers: config.topology.ingest.workers,
                amqpUrl: middleware.endpoints.amqpUrl,
                pgUrl: middleware.endpoints.pgUrl,
                dashboardUrl: middleware.endpoints.dashboardUrl,
                sshPrivateKey: secrets.sshPrivateKey,
                sshHostKeys: knownHosts(
                    everyGuest.map((g) => guests[g.name]),
                    host.access,
                ),
                configHash: createHash("sha256").update(JSON.stringify(config)).digest("hex").slice(0, 16),
                imageHash: image.recipeHash,
                baseRootfs: image.rootfs,
                platformVersion,
                benchmark: config.benchmark,
                guestInstances: pulumi.all(everyGuest.map((g) => guests[g.name].instance)),
                hostAddress: plan.hostAddress,
                pinning: pin,
                neighbours: neighbourInputs(stack, nearby, guests, platform.cpuSecondsProbe, host.access),
                platformHost: host.access.apply((a) => ({
                    ...(a.kind === "ssh" ? { sshAddress: a.address } : {}),
                    ...(platform.guestProcessProbe
                        ? { guestProcessProbes: perRole((r) => platform.guestProcessProbe!(`vtb-${stack}-${guestOf(layout, r).name}`)) }
                        : {}),
                })),
                ...(operationsGuest(config).length
                    ? { operations: guests[OPERATIONS_GUEST].address.apply((address) => operated(OPERATIONS_GUEST, address)) }
                    : {}),
                ...(dense.length
                    ? {
                          density: pulumi.all(dense.map((g) => guests[g.name].address)).apply((addresses) => ({
                              guests: dense.map((g, i) => ({
                                  ...operated(g.name, addresses[i]),
                                  ...(platform.memory ? { memoryBytes: platform.memory.guestBytes(`vtb-${stack}-${g.name}`) } : {}),
                              })),
                              ...(platform.memory ? { memory: hostMemoryScripts(platform.memory) } : {}),
                              committedMiB: everyGuest.reduce((sum, g) => sum + g.memoryMiB, 0),
                          })),
                      }
                    : {}),
            },
            { ...child, dependsOn: middleware.ready },
        );

        this.metrics = bench.metrics;
        this.guests = pulumi.output(
            Object.fromEntries(
                everyGuest.map((g) => [
                    `vtb-${stack}-${g.name}`,
                    {
                        roles: g.roles,
                        platform: config.platform,
                        address: guests[g.name].address,
                        vcpus: g.vcpus,
                        memoryMiB: g.memoryMiB,
                        limits: g.limits,
                        emulated: guests[g.name].emulated,
                        sshHostKey: guests[g.name].sshHostKey,
                        details: guests[g.name].details,
                    },
                ]),
            ),
        ) as pulumi.Output<Record<string, GuestOutput>>;
        this.dashboardUrl = middleware.endpoints.dashboardUrl;
        this.brokerUrl = pulumi.secret(middleware.endpoints.amqpUrl);
        this.timings = pulumi.output({
            image: { buildSeconds: image.buildSeconds, cached: image.cached, sizeBytes: image.sizeBytes, rootfs: image.rootfs },
            guests: Object.fromEntries(
                everyGuest.map((g) => [
                    g.name,
                    {
                        provisionSeconds: guests[g.name].provisionSeconds,
                        bootToReadySeconds: guests[g.name].bootToReadySeconds,
                    },
                ]),
            ),
            ...(host.bootToReadySeconds ? { host: { bootToReadySeconds: host.bootToReadySeconds } } : {}),
            benchmarkSeconds: bench.suiteSeconds,
        }) as pulumi.Output<Timings>;
        this.host = host.facts;
        this.registerOutputs({
            metrics: this.metrics,
            guests: this.guests,
            dashboardUrl: this.dashboardUrl,
            brokerUrl: this.brokerUrl,
            timings: this.timings,
            host: this.host,
        });
    }
}

/** The platform's memory scripts without the per-guest one (each density guest carries its own). */
function hostMemoryScripts({ guestBytes: _perGuest, ...rest }: MemoryAccounting): HostMemoryScripts {
    return rest;
}

/** Each guest's pinned SSH host key by its address, and the platform host's where the suite reaches one over SSH. */
function knownHosts(guests: Guest[], access: pulumi.Output<HostAccess>): pulumi.Output<Record<string, string>> {
    return pulumi
        .all([pulumi.all(guests.map((g) => pulumi.all([g.address, g.sshHostKey]))), access])
        .apply(([pairs, a]) => Object.fromEntries<string>([...pairs, ...(a.kind === "ssh" ? [[a.address, a.hostKey] as [string, string]] : [])]));
}

/** What the suite needs of each neighbour guest: its address and size, what its platform applied, and how its host counts its CPU. */
function neighbourInputs(
    stack: string,
    nearby: (GuestPlacement & { mode: IsolationMode })[],
    guests: Record<string, Guest>,
    probe: ((name: string) => string) | undefined,
    access: pulumi.Output<HostAccess>,
): pulumi.Output<Partial<Record<IsolationMode, NeighbourInput>>> {
    const sshAddress = access.apply((a) => (a.kind === "ssh" ? a.address : ""));
    return pulumi.output(
        Object.fromEntries(
            nearby.map((n) => {
                const g = guests[n.name];
                const name = `vtb-${stack}-${n.name}`;
                return [
                    n.mode,
                    pulumi.all([g.address, g.details, sshAddress]).apply(([address, details, ssh]) => ({
                        name,
                        address,
                        vcpus: n.vcpus,
                        memoryMiB: n.memoryMiB,
                        limits: n.limits,
                        applied: details,
                        ...(probe ? { cpuProbe: { script: probe(name), ...(ssh ? { sshAddress: ssh } : {}) } } : {}),
                    })),
                ];
            }),
        ),
    ) as pulumi.Output<Partial<Record<IsolationMode, NeighbourInput>>>;
}
