/** The stack's address plan on its /24: host .1, a platform host the stack boots (a nested dom0) .2, guests .10 upward in the order given. */
export interface IpPlan {
    hostCidr: string;
    hostAddress: string;
    platformHostCidr: string;
    guests: Record<string, { address: string; cidr: string }>;
}

export function ipPlan(subnet: string, guestNames: string[]): IpPlan {
    const prefix = subnet.split(".").slice(0, 3).join(".");
    const guests: IpPlan["guests"] = {};
    guestNames.forEach((name, i) => {
        guests[name] = { address: `${prefix}.${10 + i}`, cidr: `${prefix}.${10 + i}/24` };
    });
    return { hostCidr: `${prefix}.1/24`, hostAddress: `${prefix}.1`, platformHostCidr: `${prefix}.2/24`, guests };
}
