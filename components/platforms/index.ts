// The program side of the platform registry: every platform the testbed can run on. Adding one is
// a folder platforms/<name>/ (its Platform and its driver) and a line here and in drivers.ts
// (docs/architecture.md, "Add a platform").
import type { Platform } from "./platform";
import { lxcPlatform, LxcSettings } from "./lxc";
import { kvmPlatform, KvmSettings } from "./kvm";
import { NestedXenHostFacts, xenPlatform, XenSettings } from "./xen";
import { nativePlatform, NativeSettings } from "./native";

export const PLATFORMS = { lxc: lxcPlatform, kvm: kvmPlatform, xen: xenPlatform, native: nativePlatform } as const;
export type PlatformName = keyof typeof PLATFORMS;
export const PLATFORM_NAMES = Object.keys(PLATFORMS) as PlatformName[];

/** The settings of one platform, as its config rules produce them. */
export type SettingsOf<P extends PlatformName> = ReturnType<(typeof PLATFORMS)[P]["parseSettings"]>;

/** The settings of whichever platform a stack runs on. */
export type PlatformSettings = LxcSettings | KvmSettings | XenSettings | NativeSettings;
/** What the `host` output says: this machine, or the host the stack booted. */
export type HostFacts = { kind: "local" } | NestedXenHostFacts;

/** A platform, seen by the testbed without knowing which one it is. */
export type AnyPlatform = Platform<PlatformName, PlatformSettings, HostFacts>;

export function platformNamed(name: PlatformName): AnyPlatform {
    return PLATFORMS[name] as AnyPlatform;
}
