// Every resource kind of the testbed (lib/resourceKind.ts), listed once: the child process's
// dispatch table (main.ts) must implement exactly these, and the compiler checks it.
import type { stackSecretsKind } from "../secrets/stackSecrets";
import type { baseImageKind } from "../image/baseImage";
import type { bridgeKind } from "../network/bridge";
import type { PlatformKinds } from "../platforms/kinds";
import type { remoteCommandKind } from "../roles/remoteCommand";
import type { benchmarkRunKind } from "../benchmarkRun";
import type { ImplementationOf } from "../lib/resourceKind";

type Kinds = typeof stackSecretsKind | typeof baseImageKind | typeof bridgeKind | typeof remoteCommandKind | typeof benchmarkRunKind | PlatformKinds;

/** One implementation per kind, keyed by the kind's name. */
export type Implementations = { [K in Kinds as K["name"]]: ImplementationOf<K> };
