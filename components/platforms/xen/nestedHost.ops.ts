import type { ImplementationOf } from "../../lib/resourceKind";
import type { nestedXenHostKind } from "./nestedHost";
import { createNestedHost, deleteNestedHost, nestedHostRunning } from "./nestedHostMachine";

/** The nested Xen host of a xen stack: created by up, removed by destroy. */
export const nestedHostOps: ImplementationOf<typeof nestedXenHostKind> = {
    async create(inputs) {
        try {
            return { id: inputs.name, outs: await createNestedHost(inputs) };
        } catch (err) {
            // Pulumi records nothing for a failed create, so leave nothing behind either.
            await deleteNestedHost(inputs.name, inputs.owner).catch(() => undefined);
            throw err;
        }
    },
    async read(id, props) {
        return nestedHostRunning(id, props.owner) ? props : undefined;
    },
    async delete(id, props) {
        await deleteNestedHost(id, props.owner);
    },
};
