import { createHash } from "crypto";

/** Locally administered, stable MAC per guest name (same guest, same address, on every up). */
export function macAddress(guest: string): string {
    const h = createHash("sha1").update(`mac:${guest}`).digest("hex");
    return ["02", h.slice(0, 2), h.slice(2, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10)].join(":");
}
