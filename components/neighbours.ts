// The neighbour guests of the entitlement and isolation suites: guests of the victim's size (the
// guest the overhead benchmarks measure, which carries the visualization role), made by the same
// platform driver as the middleware's. "neighbour" runs uncapped, as in the thesis; "neighbour-capped"
// carries the entitlement caps. A stack that selects neither suite has neither guest.
import { ConfigError, TestbedConfig } from "./config";
import { GuestPlacement, guestOf, placement } from "./roles/placement";
import type { IsolationMode } from "../workloads/harness/isolation/names";

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

/** Every guest the stack makes: the middleware's, then the neighbours. */
export function allGuests(config: TestbedConfig): GuestPlacement[] {
    return [...placement(config.topology), ...neighbours(config)];
}
