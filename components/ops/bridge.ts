import { Ops } from "./types";
import { run, tryRun } from "./exec";

export interface BridgeInputs {
    name: string;
    /** Host side address with prefix, e.g. 10.231.1.1/24. */
    hostCidr: string;
}

async function exists(name: string): Promise<boolean> {
    return (await tryRun("ip", ["link", "show", "dev", name])) !== undefined;
}

/** The stack's own Linux bridge. No NAT, no forwarding: guests reach only each other and the host. */
export const bridgeOps: Ops<BridgeInputs, {}> = {
    async create({ name, hostCidr }) {
        if (await exists(name)) await run("ip", ["link", "del", "dev", name]); // left by an interrupted up
        await run("ip", ["link", "add", "name", name, "type", "bridge"]);
        await run("ip", ["addr", "add", hostCidr, "dev", name]);
        await run("ip", ["link", "set", "dev", name, "up"]);
        return { id: name, outs: {} };
    },
    async read(id, props) {
        return (await exists(id)) ? props : undefined;
    },
    async delete(id) {
        if (await exists(id)) await run("ip", ["link", "del", "dev", id]);
    },
};
