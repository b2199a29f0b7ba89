import { Ops } from "./types";
import { GuestInfo, GuestSpec } from "../platforms/driver";
import { driverFor } from "../platforms";

export interface GuestInputs extends GuestSpec {
    platform: string;
}

/** A guest of any platform, through that platform's driver. */
export const guestOps: Ops<GuestInputs, GuestInfo> = {
    async create(inputs) {
        const driver = driverFor(inputs.platform);
        try {
            return { id: inputs.name, outs: await driver.create(inputs) };
        } catch (err) {
            // Pulumi records nothing for a failed create, so leave nothing behind either.
            await driver.delete(inputs.name, inputs).catch(() => undefined);
            throw err;
        }
    },
    async read(id, props) {
        return (await driverFor(props.platform).isRunning(id, props)) ? props : undefined;
    },
    async delete(id, props) {
        await driverFor(props.platform).delete(id, props);
    },
};
