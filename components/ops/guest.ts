import { Ops } from "./types";
import { GuestInfo, GuestSpec } from "../platforms/driver";
import { driverFor } from "../platforms";

export interface GuestInputs extends GuestSpec {
    platform: string;
}

/** A guest of any platform, through that platform's driver. */
export const guestOps: Ops<GuestInputs, GuestInfo> = {
    async create(inputs) {
        const info = await driverFor(inputs.platform).create(inputs);
        return { id: inputs.name, outs: info };
    },
    async read(id, props) {
        return (await driverFor(props.platform).isRunning(id)) ? props : undefined;
    },
    async delete(id, props) {
        await driverFor(props.platform).delete(id);
    },
};
