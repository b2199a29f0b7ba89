import { Ops } from "../lib/ops";
import { run } from "../lib/exec";
import { claimLink, deleteLinkIfOurs, linkState, markLink } from "../lib/hostMarks";
import { isOurs } from "../lib/ownership";

export interface BridgeInputs {
    name: string;
    /** Host side address with prefix, e.g. 10.231.1.1/24. */
    hostCidr: string;
    /** Ownership mark (components/ownership.ts): which checkout and stack made the bridge. */
    owner: string;
}

/**
 * The stack's own Linux bridge. No NAT, no forwarding: guests reach only each other and the host.
 * An interface of that name that is not ours is refused, never replaced.
 */
export const bridgeOps: Ops<BridgeInputs, {}> = {
    async create({ name, hostCidr, owner }) {
        await claimLink("bridge", name, owner); // our own leftover of an interrupted up is replaced
        await run("ip", ["link", "add", "name", name, "type", "bridge"]);
        await markLink(name, owner);
        await run("ip", ["addr", "add", hostCidr, "dev", name]);
        await run("ip", ["link", "set", "dev", name, "up"]);
        return { id: name, outs: {} };
    },
    async read(id, props) {
        const link = await linkState(id);
        return link.exists && isOurs(link.mark, props.owner) ? props : undefined;
    },
    async delete(id, props) {
        await deleteLinkIfOurs(id, props.owner);
    },
};
