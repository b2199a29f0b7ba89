// The resource kinds the platforms bring (the child process must implement them: ops/kinds.ts),
// and their implementations, so nothing above platforms/ names one.
import type { guestKind } from "./guest";
import type { nestedXenHostKind } from "./xen/nestedHost";
import { guestOps } from "./guest.ops";
import { nestedHostOps } from "./xen/nestedHost.ops";

export type PlatformKinds = typeof guestKind | typeof nestedXenHostKind;

export const platformImplementations = { guest: guestOps, xenhost: nestedHostOps };
