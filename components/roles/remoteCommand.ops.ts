import { Ops } from "../lib/ops";
import { sshScript, sshUpload, SshTarget } from "../lib/ssh";

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

/**
 * A provisioning step run over SSH in a guest (the role scripts of components/middleware/).
 * Its output is not kept: scripts may handle secrets, and stdout must not leak into the state.
 */
export const remoteOps: Ops<RemoteInputs, {}> = {
    async create(inputs) {
        if (inputs.upload && inputs.uploadTo) await sshUpload(inputs, inputs.upload, inputs.uploadTo);
        await sshScript(inputs, inputs.create, { timeoutMs: (inputs.timeoutSeconds ?? 600) * 1000 });
        return { id: `${inputs.address}-${Date.now()}`, outs: {} };
    },
    async delete(_id, props) {
        // The guest usually goes right after; a script that fails on a gone guest is no error.
        if (props.delete) await sshScript(props, props.delete, { timeoutMs: 60_000 }).catch(() => undefined);
    },
};
