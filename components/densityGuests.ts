// The density suite's guests: as many minimal guests (one vCPU, `benchmark.density.memoryMiB`, no
// role, no caps) as its largest count, made by the same platform driver as the middleware's. The
// suite stops them and boots 1, 2, 4… of them together; a stack that does not select it has none.
import type { TestbedConfig } from "./config";
import type { GuestPlacement } from "./roles/placement";

export const DENSITY_GUEST_PREFIX = "dense";

export function densityGuests(config: TestbedConfig): GuestPlacement[] {
    if (!config.benchmark.suites.includes("density")) return [];
    const { guests, memoryMiB } = config.benchmark.density;
    return Array.from({ length: Math.max(...guests) }, (_, i) => ({
        name: `${DENSITY_GUEST_PREFIX}${i + 1}`,
        roles: [],
        vcpus: 1,
        memoryMiB,
        limits: { cpuPercent: 0, diskIops: 0, diskMBps: 0, netMbps: 0 },
    }));
}
