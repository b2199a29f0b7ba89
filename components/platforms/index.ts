import { PlatformDriver } from "./driver";
import { lxcDriver } from "./lxc";

/** The driver for a platform; kvm and xen arrive with their own issues. */
export function driverFor(platform: string): PlatformDriver {
    if (platform === "lxc") return lxcDriver;
    throw new Error(`no driver for platform ${platform} yet`);
}
