import { declareKind, resourceClass } from "../lib/resourceKind";
import type { GuestInfo, GuestSpec } from "./driver";

export interface GuestInputs extends GuestSpec {
    /** The platform whose driver creates it (platforms/drivers.ts). */
    platform: string;
    /** Always true in the program; refresh sets it false when the guest is found stopped, so the next up replaces it. */
    running: boolean;
}

/** What a guest reports, plus a fresh id per created instance: role set-up and benchmark depend on it, so a recreated guest is provisioned and measured again. */
export type GuestOutputs = Omit<GuestInfo, "platform"> & { instance: string };

export const guestKind = declareKind<GuestInputs, GuestOutputs>()({
    name: "guest",
    type: "Guest",
    outputs: { address: true, emulated: true, provisionSeconds: true, bootToReadySeconds: true, sshHostKey: true, details: true, instance: true },
    replaceOn: "*",
    // The host's access carries its SSH key.
    secrets: ["host"],
});

/** One guest (container or VM) created, read and deleted through its platform's driver. */
export class Guest extends resourceClass(guestKind) {}
