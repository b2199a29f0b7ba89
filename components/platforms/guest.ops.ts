import { randomBytes } from "crypto";
import type { ImplementationOf, StateOf } from "../lib/resourceKind";
import type { guestKind } from "./guest";
import { driverFor } from "./drivers";

type GuestState = StateOf<typeof guestKind>;

/**
 * A guest recorded before settings and host access were typed (`options`, `hostAddress`,
 * `hostPrivateKey`): read as today's shape, so such a stack can still be refreshed and destroyed.
 */
function current(props: GuestState): GuestState {
    const legacy = props as GuestState & { options?: Record<string, string>; hostAddress?: string; hostPrivateKey?: string };
    if (props.host !== undefined) return props;
    const host =
        legacy.hostAddress && legacy.hostPrivateKey
            ? {
                  kind: "ssh" as const,
                  address: legacy.hostAddress,
                  privateKey: legacy.hostPrivateKey,
                  hostKey: "",
                  emulated: legacy.options?.hostEmulated !== "false",
                  version: legacy.options?.xenVersion ?? "unknown",
              }
            : { kind: "local" as const };
    return { ...props, settings: legacy.options ?? {}, host };
}

/** A guest of any platform, through that platform's driver. */
export const guestOps: ImplementationOf<typeof guestKind> = {
    async create(inputs) {
        const driver = driverFor(inputs.platform);
        try {
            const { platform: _platform, ...info } = await driver.create(inputs);
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
        const status = await driverFor(props.platform).status(id, current(props));
        if (status === "gone") return undefined;
        return { ...props, running: status === "running" };
    },
    async delete(id, props) {
        await driverFor(props.platform).delete(id, current(props));
    },
};
