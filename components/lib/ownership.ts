// Ownership marks. The testbed runs as root beside other people's interfaces, containers and VMs,
// so every host object it makes carries a mark naming the checkout and stack that made it:
// create refuses an object of that name that is not ours, delete and refresh touch only ours.
// Pure: the platforms read and write the marks (interface alias, owner file, libvirt metadata).

const PREFIX = "virt-testbed:";

/** Who made an object: a checkout (its random id, kept in the checkout's state directory) and a stack. */
export interface Owner {
    checkout: string;
    stack: string;
}

/** The mark as stored on the host, e.g. `virt-testbed:3f9a0c1d/lxc`. */
export function ownerMark(o: Owner): string {
    return `${PREFIX}${o.checkout}/${o.stack}`;
}

/** The owner a stored mark names, or undefined when the text is no mark of ours. */
export function parseMark(text: string | undefined): Owner | undefined {
    const m = /^virt-testbed:([0-9a-f]{8,32})\/([A-Za-z0-9_.-]+)$/.exec((text ?? "").trim());
    return m ? { checkout: m[1], stack: m[2] } : undefined;
}

/** Words for an error message: whose an object is. */
export function describeOwner(mark: string | undefined, ours: string): string {
    const owner = parseMark(mark);
    if (!owner) return "it was not made by virt-testbed (it carries no ownership mark)";
    const me = parseMark(ours);
    if (me && owner.checkout === me.checkout) return `it belongs to stack '${owner.stack}' of this checkout`;
    return `it belongs to stack '${owner.stack}' of another checkout (id ${owner.checkout})`;
}

export class OwnershipError extends Error {
    constructor(kind: string, name: string, mark: string | undefined, ours: string) {
        super(
            `${kind} ${name} already exists and ${describeOwner(mark, ours)}; virt-testbed never changes or deletes what it did not create. ` +
                `Pick another name for this stack (another stack name or network.bridge), or remove ${name} yourself if you know it is unused.`,
        );
        this.name = "OwnershipError";
    }
}

/**
 * What create may do with a name: "create" when nothing holds it, "reclaim" when our own
 * leftover does (an interrupted up: remove it, then create); anything else is refused.
 */
export function claim(kind: string, name: string, existing: { exists: boolean; mark?: string }, ours: string): "create" | "reclaim" {
    if (!existing.exists) return "create";
    if (existing.mark?.trim() === ours) return "reclaim";
    throw new OwnershipError(kind, name, existing.mark, ours);
}

/** Delete and refresh act on an object only when it carries exactly our mark. */
export function isOurs(mark: string | undefined, ours: string): boolean {
    return mark !== undefined && mark.trim() === ours;
}
