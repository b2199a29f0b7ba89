import { PlatformDriver } from "./driver";
import { lxcDriver } from "./lxc";
import { kvmDriver } from "./kvm";

/** The driver for a platform; xen arrives with its own issue. */
export function driverFor(platform: string): PlatformDriver {
    if (platform === "lxc") return lxcDriver;
    if (platform === "kvm") return kvmDriver;
    throw new Error(`no driver for platform ${platform} yet`);
}
