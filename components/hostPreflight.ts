// The preflight an up runs before anything is provisioned: the stack's plan (its validated
// settings) against this host and the other stacks of the checkout. The program calls it, and so
// does the test that holds every committed stack file to it.
import type { TestbedConfig } from "./config";
import { checkCapacity, checkGuestMemory, checkNetwork } from "./preflight";
import { hostCapacity, hostNetwork, otherStacks } from "./hostFacts";
import { platformNamed } from "./platforms";

/** Network collisions are refused, capacity beyond the host needs `overcommit`; returns what is overcommitted. */
export function preflight(config: TestbedConfig, stack: string, owner: string, root: string): string[] {
    const { network, ownLinks } = hostNetwork(owner);
    checkNetwork(config, network, ownLinks, otherStacks(root, stack), owner);
    platformNamed(config.platform).preflight?.(config.settings);
    checkGuestMemory(config);
    return checkCapacity(config, hostCapacity());
}
