import { PlatformDriver } from "./driver";
import { lxcDriver } from "./lxc/driver";
import { kvmDriver } from "./kvm/driver";
import { xenDriver } from "./xen/driver";

/** The driver for a platform. */
export function driverFor(platform: string): PlatformDriver {
    if (platform === "lxc") return lxcDriver;
    if (platform === "kvm") return kvmDriver;
    if (platform === "xen") return xenDriver;
    throw new Error(`no driver for platform ${platform} yet`);
}
