// The guest the operations suite works on: stopped, paused, rebooted, cloned, saved and restored
// while the middleware's guests keep running. It has the measured guest's size (the one that
// carries the visualization role), no caps, and is made by the same platform driver; a stack that
// does not select the suite has none.
import type { TestbedConfig } from "./config";
import { GuestPlacement, guestOf, placement } from "./roles/placement";

export const OPERATIONS_GUEST = "ops";

export function operationsGuest(config: TestbedConfig): GuestPlacement[] {
    if (!config.benchmark.suites.includes("operations")) return [];
    const measured = guestOf(placement(config.topology), "visualization");
    return [
        {
            name: OPERATIONS_GUEST,
            roles: [],
            vcpus: measured.vcpus,
            memoryMiB: measured.memoryMiB,
            limits: { cpuPercent: 0, diskIops: 0, diskMBps: 0, netMbps: 0 },
        },
    ];
}

/** Memory a host the stack boots must keep free for the operations guest: a migration within one host holds it twice. */
export function migrationSpareMiB(config: TestbedConfig): number {
    const guest = operationsGuest(config)[0];
    return guest && config.benchmark.operations.steps.includes("migrate") ? guest.memoryMiB : 0;
}
