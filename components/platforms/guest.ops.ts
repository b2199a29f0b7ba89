import { randomBytes } from "crypto";
import { Ops } from "../lib/ops";
import { GuestInfo, GuestSpec } from "./driver";
import { driverFor } from "./drivers";

export interface GuestInputs extends GuestSpec {
    platform: string;
    /** Always true in the program; refresh sets it false when the guest is found stopped, so the next up replaces it. */
    running: boolean;
}

/** What a guest reports, plus a fresh id per created instance: role set-up and benchmark depend on it, so a recreated guest is provisioned and measured again. */
export type GuestOutputs = GuestInfo & { instance: string };

/** A guest of any platform, through that platform's driver. */
export const guestOps: Ops<GuestInputs, GuestOutputs> = {
    async create(inputs) {
        const driver = driverFor(inputs.platform);
        try {
            const info = await driver.create(inputs);
            return { id: inputs.name, outs: { ...info, instance: randomBytes(8).toString("hex") } };
        } catch (err) {
            // Pulumi records nothing for a failed create, so leave nothing behind either (the
            // driver removes only what carries our mark: a refused name stays untouched).
            await driver.delete(inputs.name, inputs).catch(() => undefined);
            throw err;
        }
    },
    async read(id, props) {
        // A probe that cannot answer throws (refresh fails) rather than dropping a healthy guest.
        const status = await driverFor(props.platform).status(id, props);
        if (status === "gone") return undefined;
        return { ...props, running: status === "running" };
    },
    async delete(id, props) {
        await driverFor(props.platform).delete(id, props);
    },
};
