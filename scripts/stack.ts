// Runs a stack's lifecycle through Pulumi's Automation API with the program in index.ts:
//   stack.ts up|preview|destroy|refresh <stack> [--expect-no-changes]
// The Node SDK hosts the program itself, so no separate language-host binary is needed.
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { formatMetrics } from "./formatMetrics";

const ROOT = path.resolve(__dirname, "..");

/**
 * The stack through the Automation API, created if this backend has none of that name. `workDir`
 * (default: the checkout) holds Pulumi.yaml and the stack file; `envVars` go to the CLI.
 */
export async function openStack(stackName: string, opts: { workDir?: string; envVars?: Record<string, string> } = {}): Promise<Stack> {
    // The program is loaded as the Pulumi runtime loads a `main`, at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(ROOT, "index.ts"));
    return LocalWorkspace.createOrSelectStack({ stackName, projectName: "virt-testbed", program }, { workDir: opts.workDir ?? ROOT, envVars: opts.envVars });
}

async function main(): Promise<void> {
    const [command, stackName, ...flags] = process.argv.slice(2);
    if (!command || !stackName) throw new Error("usage: stack.ts up|preview|destroy|refresh <stack> [--expect-no-changes]");
    const stack = await openStack(stackName);
    const onOutput = (s: string) => process.stdout.write(s);
    const t0 = Date.now();
    switch (command) {
        case "up": {
            const res = await stack.up({ onOutput, color: "never" });
            const metrics = res.outputs.metrics?.value;
            if (metrics) process.stdout.write(`\n${formatMetrics(metrics)}\n`);
            break;
        }
        case "preview": {
            const res = await stack.preview({ onOutput, color: "never", diff: true, expectNoChanges: flags.includes("--expect-no-changes") });
            process.stdout.write(`\nchanges: ${JSON.stringify(res.changeSummary)}\n`);
            break;
        }
        case "refresh":
            await stack.refresh({ onOutput, color: "never" });
            break;
        case "destroy":
            await stack.destroy({ onOutput, color: "never" });
            break;
        default:
            throw new Error(`unknown command ${command}`);
    }
    process.stdout.write(`${command} ${stackName}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

if (require.main === module) {
    main().catch((err) => {
        process.stderr.write(`${err instanceof Error ? err.message : err}\n`);
        process.exit(1);
    });
}
