import { Role, ROLES } from "../config";

/** The stack's address plan on its /24: host .1, guests .10 upward in role order. */
export interface IpPlan {
    hostCidr: string;
    hostAddress: string;
    guests: Record<Role, { address: string; cidr: string }>;
}

export function ipPlan(subnet: string): IpPlan {
    const prefix = subnet.split(".").slice(0, 3).join(".");
    const guests = {} as IpPlan["guests"];
    ROLES.forEach((role, i) => {
        guests[role] = { address: `${prefix}.${10 + i}`, cidr: `${prefix}.${10 + i}/24` };
    });
    return { hostCidr: `${prefix}.1/24`, hostAddress: `${prefix}.1`, guests };
}
