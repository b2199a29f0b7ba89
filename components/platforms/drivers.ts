import { PlatformDriver } from "./driver";
import { lxcDriver } from "./lxc/driver";
import { kvmDriver } from "./kvm/driver";
import { xenDriver } from "./xen/driver";
import { nativeDriver } from "./native/driver";
import type { PlatformName, SettingsOf } from ".";

// The child-process side of the platform registry (index.ts is the program side): the compiler
// checks that every platform has its driver.
const DRIVERS: { [P in PlatformName]: PlatformDriver<SettingsOf<P>> } = { lxc: lxcDriver, kvm: kvmDriver, xen: xenDriver, native: nativeDriver };

/** The driver for a platform; its settings are the ones that platform's config rules produced. */
export function driverFor(platform: string): PlatformDriver {
    if (!(platform in DRIVERS)) throw new Error(`no driver for platform ${platform}`);
    return DRIVERS[platform as PlatformName] as PlatformDriver;
}

/** The guests of every platform on this machine, as users of the image cache. */
export const imageUsers = {
    async usesImage(imageDir: string): Promise<boolean> {
        for (const d of Object.values(DRIVERS) as PlatformDriver[]) if (await d.usesImage(imageDir)) return true;
        return false;
    },
    forgetImage(imageHash: string): void {
        for (const d of Object.values(DRIVERS) as PlatformDriver[]) d.forgetImage(imageHash);
    },
};
