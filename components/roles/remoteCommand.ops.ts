import type { ImplementationOf } from "../lib/resourceKind";
import type { remoteCommandKind } from "./remoteCommand";
import { sshScript, sshUpload, untilConnected } from "../lib/ssh";

/**
 * A provisioning step run over SSH in a guest (the role scripts of components/roles/).
 * Its output is not kept: scripts may handle secrets, and stdout must not leak into the state.
 */
export const remoteOps: ImplementationOf<typeof remoteCommandKind> = {
    async create(inputs) {
        // A guest just booted on an emulated host may drop off its link for a moment: the step waits for it.
        const { upload, uploadTo } = inputs;
        if (upload && uploadTo) await untilConnected(() => sshUpload(inputs, upload, uploadTo));
        await untilConnected(() => sshScript(inputs, inputs.create, { timeoutMs: (inputs.timeoutSeconds ?? 600) * 1000 }));
        return { id: `${inputs.address}-${Date.now()}`, outs: {} };
    },
    async delete(_id, props) {
        // The guest usually goes right after; a script that fails on a gone guest is no error.
        if (props.delete) await sshScript(props, props.delete, { timeoutMs: 60_000 }).catch(() => undefined);
    },
};
