import { declareKind, resourceClass } from "../lib/resourceKind";

export interface BridgeInputs {
    name: string;
    /** Host side address with prefix, e.g. 10.231.1.1/24. */
    hostCidr: string;
    /** Ownership mark (components/lib/ownership.ts): which checkout and stack made the bridge. */
    owner: string;
}

export const bridgeKind = declareKind<BridgeInputs, Record<string, never>>()({ name: "bridge", type: "Bridge", outputs: {}, replaceOn: "*" });

/** The stack's own Linux bridge with the host's address on it. */
export class Bridge extends resourceClass(bridgeKind) {}
