import { createHash } from "crypto";

// A guest's link to the stack's bridge, named and addressed from the guest's name alone, so the
// same guest gets the same link on every up and a leftover can be found by name.

/** Locally administered, stable MAC per guest name. */
export function macAddress(guest: string): string {
    const h = createHash("sha1").update(`mac:${guest}`).digest("hex");
    return ["02", h.slice(0, 2), h.slice(2, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10)].join(":");
}

/** Host-side interface (lxc veth, kvm tap): at most 15 characters, stable per guest. */
export function hostLinkName(guest: string): string {
    return `vtb${createHash("sha1").update(guest).digest("hex").slice(0, 10)}`;
}
