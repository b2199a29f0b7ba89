// What the comparison reads of a stack: its plain (non-secret) config and outputs, through the
// Automation API — never by parsing state files.
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import type { GuestOutput, HostFacts, Metrics, Timings } from "../components/outputs";

export type { GuestOutput };

const ROOT = path.resolve(__dirname, "..");

export interface StackSnapshot {
    /** Stack name, or "<stack>@<saved run>" for a saved run. */
    name: string;
    /** virt-testbed:* settings as stored (secrets left out). */
    config: Record<string, string>;
    /** The stack's `host` output: this machine, or the host the stack booted, with its facts. */
    host: HostFacts;
    metrics: Metrics;
    /** The `guests` output (sizes, caps, what each platform applied) and `timings`, when present. */
    guests?: Record<string, GuestOutput>;
    timings?: Timings;
}

export async function readStack(name: string): Promise<StackSnapshot> {
    const stack = await LocalWorkspace.selectStack({ stackName: name, workDir: ROOT });
    const outputs = await stack.outputs();
    const metrics = outputs.metrics?.value as Metrics | undefined;
    if (!metrics) throw new Error(`stack ${name} has no metrics output: run \`pulumi up --stack ${name}\` (or make up STACK=${name}) first`);
    const config = Object.fromEntries(
        Object.entries(await stack.getAllConfig())
            .filter(([, v]) => !v.secret)
            .map(([k, v]) => [k.replace(/^virt-testbed:/, ""), v.value]),
    );
    return {
        name,
        config,
        metrics,
        host: (outputs.host?.value as HostFacts | undefined) ?? { kind: "local" },
        guests: outputs.guests?.value as Record<string, GuestOutput> | undefined,
        timings: outputs.timings?.value as Timings | undefined,
    };
}
