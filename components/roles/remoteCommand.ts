import { declareKind, resourceClass } from "../lib/resourceKind";
import type { SshTarget } from "../lib/ssh";

export interface RemoteInputs extends SshTarget {
    /** Local directory copied to `uploadTo` before the script runs. */
    upload?: string;
    uploadTo?: string;
    /** Content hash of the upload, so changed code re-provisions. */
    uploadHash?: string;
    create: string;
    delete?: string;
    timeoutSeconds?: number;
    guestInstance?: string;
}

export const remoteCommandKind = declareKind<RemoteInputs, Record<string, never>>()({
    name: "remote",
    type: "RemoteCommand",
    outputs: {},
    replaceOn: "*",
    secrets: ["privateKey", "create"],
});

/** A provisioning script run in a guest over SSH; any change of its inputs runs it again. */
export class RemoteCommand extends resourceClass(remoteCommandKind) {}
