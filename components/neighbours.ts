// The neighbour guests of the entitlement and isolation suites: guests of the victim's size (the
// guest the overhead benchmarks measure, which carries the visualization role), made by the same
// platform driver as the middleware's. "neighbour" runs uncapped, as in the thesis; "neighbour-capped"
// carries the entitlement caps. A stack that selects neither suite has neither guest.
import { ConfigError, TestbedConfig } from "./config";
import { GuestPlacement, guestOf, placement } from "./roles/placement";
import type { IsolationMode } from "../workloads/harness/isolation/names";
import { coreList } from "../workloads/harness/pinHarness";
import { operationsGuest } from "./operationsGuest";
import { densityGuests } from "./densityGuests";

/** Which neighbour: the uncapped one or the capped (entitled) one, by the isolation mode it serves. */
export const NEIGHBOUR_GUESTS: Record<IsolationMode, string> = { uncapped: "neighbour", entitled: "neighbour-capped" };

/** The modes whose neighbour the stack's suites need: entitlement compares the capped one with its uncapped twin. */
export function neighbourModes(config: TestbedConfig): IsolationMode[] {
    const suites = config.benchmark.suites;
    if (suites.includes("entitlement")) return ["uncapped", "entitled"];
    return suites.includes("isolation") ? config.benchmark.isolation.modes : [];
}

export function neighbours(config: TestbedConfig): (GuestPlacement & { mode: IsolationMode })[] {
    const victim = guestOf(placement(config.topology), "visualization");
    const { cpuPercent, diskIops, diskMBps, netMbps } = config.benchmark.entitlement;
    if (cpuPercent > victim.vcpus * 100)
        throw new ConfigError(
            "benchmark.entitlement.cpuPercent",
            `(${cpuPercent} % of one core) is more than the neighbour's ${victim.vcpus} vCPU(s) (the measured guest's size) can use`,
            `Set it at most ${victim.vcpus * 100}.`,
        );
    return neighbourModes(config).map((mode) => ({
        name: NEIGHBOUR_GUESTS[mode],
        mode,
        roles: [],
        vcpus: victim.vcpus,
        memoryMiB: victim.memoryMiB,
        limits: mode === "entitled" ? { cpuPercent, diskIops, diskMBps, netMbps } : { cpuPercent: 0, diskIops: 0, diskMBps: 0, netMbps: 0 },
    }));
}

/**
 * Who runs on which cores while the suites measure beside a neighbour: the victim alone on the
 * last cores (as many as its vCPUs), the neighbours and the harness (load generator, stressors'
 * servers) on the others. None when the stack has no neighbour, or the victim needs every core.
 */
export type Pinning = { victim: string; others: string } | { none: string };

export function pinning(config: TestbedConfig, cores: number): Pinning {
    if (!neighbourModes(config).length) return { none: "no neighbour guest" };
    const victim = guestOf(placement(config.topology), "visualization");
    if (victim.vcpus >= cores) return { none: `the measured guest's ${victim.vcpus} vCPU(s) need every one of the host's ${cores} core(s)` };
    return { victim: coreList(cores - victim.vcpus, cores - 1), others: coreList(0, cores - victim.vcpus - 1) };
}

/** Every guest the stack makes: the middleware's, the neighbours (pinned as `pin` says), then the operations and density suites'. */
export function allGuests(config: TestbedConfig, pin: Pinning = { none: "not asked" }): GuestPlacement[] {
    const middleware = placement(config.topology);
    if ("none" in pin) return [...middleware, ...neighbours(config), ...operationsGuest(config), ...densityGuests(config)];
    const victim = guestOf(middleware, "visualization");
    return [
        ...middleware.map((g) => (g === victim ? { ...g, cpuset: pin.victim } : g)),
        ...neighbours(config).map((n) => ({ ...n, cpuset: pin.others })),
        ...operationsGuest(config),
        ...densityGuests(config),
    ];
}
