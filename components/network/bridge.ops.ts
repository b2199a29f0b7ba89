import type { ImplementationOf } from "../lib/resourceKind";
import type { bridgeKind } from "./bridge";
import { run } from "../lib/exec";
import { claimLink, deleteLinkIfOurs, linkState, markLink } from "../lib/hostMarks";
import { isOurs } from "../lib/ownership";

/**
 * The stack's own Linux bridge. No NAT, no forwarding: guests reach only each other and the host.
 * An interface of that name that is not ours is refused, never replaced.
 */
export const bridgeOps: ImplementationOf<typeof bridgeKind> = {
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
