// The acceptance run: every committed stack file as typed, one after another — up, a second
// preview that must find no changes, destroy, and a look for anything left on the host — with each
// step's time and whether the stack's metrics are complete. `make acceptance`; not part of `make test`.
//   acceptance.ts [--cli] [stack…]   (default: every Pulumi.<stack>.yaml git tracks: lxc, native, kvm, xen)
// It runs the stacks as `make up` does (Automation API), or with --cli as the plain CLI is typed
// (`pulumi up --stack <s> --yes`, `pulumi preview --expect-no-changes`, `pulumi destroy --yes`).
import { execFileSync, spawn } from "child_process";
import * as path from "path";
import { openStack } from "./stack";
import { formatMetrics } from "./formatMetrics";
import { stackLeftovers } from "./leftovers";
import { stackFileConfig } from "../components/hostFacts";
import { ownerMark } from "../components/lib/ownership";
import { checkoutId } from "../components/checkout";
import type { Metrics } from "../workloads/harness/suite";

const ROOT = path.resolve(__dirname, "..");
/** Quick stacks first: a broken checkout shows in minutes, not after the nested Xen host. */
const ORDER = ["lxc", "native", "kvm", "xen"];

interface Row {
    stack: string;
    up: string;
    metrics: string;
    preview: string;
    destroy: string;
    leftovers: string;
    ok: boolean;
}

function committedStacks(): string[] {
    const stacks = execFileSync("git", ["ls-files", "Pulumi.*.yaml"], { cwd: ROOT, encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)![1]);
    const rank = (s: string) => (ORDER.includes(s) ? ORDER.indexOf(s) : ORDER.length);
    return stacks.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Complete: every selected benchmark succeeded; an unreached criterion is named, a failed or skipped one is not complete. */
export function completeness(m: Metrics | undefined, suites: string[]): { text: string; complete: boolean } {
    if (!m) return { text: "no metrics", complete: false };
    const status = m.suiteStatus ?? [];
    const missing = suites.filter((s) => !status.some((x) => x.name === s));
    const bad = status.filter((s) => s.status === "failed" || s.status === "skipped").map((s) => `${s.name} ${s.status}`);
    const unreached = status.filter((s) => s.status === "unreached").map((s) => `${s.name} unreached`);
    const complete = !missing.length && !bad.length;
    const notes = [...bad, ...missing.map((s) => `${s} missing`), ...unreached];
    return {
        text: `${complete ? "complete" : "INCOMPLETE"}: ${m.results.length} figures, ${status.length} benchmarks${notes.length ? ` (${notes.join(", ")})` : ""}`,
        complete,
    };
}

/** The three steps of a stack's lifecycle, however they are driven. */
interface Lifecycle {
    up(): Promise<Metrics | undefined>;
    previewNoChanges(): Promise<void>;
    destroy(): Promise<void>;
}

async function automation(name: string): Promise<Lifecycle> {
    const stack = await openStack(name);
    const onOutput = (s: string) => process.stdout.write(s);
    return {
        up: async () => (await stack.up({ onOutput, color: "never" })).outputs.metrics?.value as Metrics | undefined,
        previewNoChanges: async () => void (await stack.preview({ expectNoChanges: true, color: "never" })),
        destroy: async () => void (await stack.destroy({ onOutput, color: "never" })),
    };
}

/** The plain CLI, its output passed through; a non-zero exit is an error naming the command. */
function pulumi(args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn("pulumi", [...args, "--non-interactive"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`pulumi ${args.join(" ")}: exit ${code}`))));
    });
}

function cli(name: string): Lifecycle {
    return {
        up: async () => {
            await pulumi(["up", "--stack", name, "--yes"]);
            const out = execFileSync("pulumi", ["stack", "output", "metrics", "--json", "--stack", name], { cwd: ROOT, encoding: "utf8" });
            return JSON.parse(out) as Metrics;
        },
        previewNoChanges: () => pulumi(["preview", "--stack", name, "--expect-no-changes"]),
        destroy: () => pulumi(["destroy", "--stack", name, "--yes"]),
    };
}

const seconds = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
/** The line of an error that says what went wrong: Pulumi's `error:` line, else the last line with text. */
function errorLine(e: unknown): string {
    const text = (e instanceof Error ? e.message : String(e))
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
    return (text.find((l) => /^error:/.test(l)) ?? text[text.length - 1] ?? "").slice(0, 200);
}

async function accept(name: string, viaCli: boolean): Promise<Row> {
    const row: Row = { stack: name, up: "-", metrics: "-", preview: "-", destroy: "-", leftovers: "-", ok: false };
    let config: ReturnType<typeof stackFileConfig>;
    let stack: Lifecycle;
    try {
        config = stackFileConfig(path.join(ROOT, `Pulumi.${name}.yaml`));
        stack = viaCli ? cli(name) : await automation(name);
    } catch (e) {
        row.up = `NOT STARTED: ${errorLine(e)}`;
        return row;
    }
    let upOk = false;
    let complete = false;
    let t0 = Date.now();
    try {
        const metrics = await stack.up();
        if (metrics) process.stdout.write(`\n${formatMetrics(metrics)}\n`);
        row.up = seconds(t0);
        // Metrics of an earlier run (an up that found nothing to do) do not show this one's.
        const fresh = metrics && Date.parse(metrics.provenance.startedAt) >= t0 - 1000;
        const c = fresh ? completeness(metrics, config.benchmark.suites) : { text: "STALE: the metrics are an earlier run's", complete: false };
        row.metrics = c.text;
        complete = c.complete;
        upOk = true;
    } catch (e) {
        row.up = `FAILED after ${seconds(t0)}: ${errorLine(e)}`;
    }
    let previewOk = false;
    if (upOk) {
        t0 = Date.now();
        try {
            await stack.previewNoChanges();
            row.preview = `clean (${seconds(t0)})`;
            previewOk = true;
        } catch (e) {
            row.preview = `CHANGES: ${errorLine(e)}`;
        }
    }
    t0 = Date.now();
    let destroyOk = false;
    try {
        await stack.destroy();
        row.destroy = seconds(t0);
        destroyOk = true;
    } catch (e) {
        row.destroy = `FAILED after ${seconds(t0)}: ${errorLine(e)}`;
    }
    const left = stackLeftovers(name, config.network.bridge, ownerMark({ checkout: checkoutId(), stack: name }));
    row.leftovers = left.length ? left.join("; ") : "nothing left";
    row.ok = upOk && complete && previewOk && destroyOk && !left.length;
    return row;
}

function table(rows: Row[]): string {
    const head = ["stack", "up", "metrics", "preview", "destroy", "left on the host"];
    const cells = rows.map((r) => [r.stack, r.up, r.metrics, r.preview, r.destroy, r.leftovers]);
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join(" | ");
    return [line(head), widths.map((w) => "-".repeat(w)).join("-|-"), ...cells.map(line)].join("\n");
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const viaCli = args.includes("--cli");
    const named = args.filter((a) => a !== "--cli");
    const stacks = named.length ? named : committedStacks();
    const started = Date.now();
    const rows: Row[] = [];
    for (const name of stacks) {
        process.stdout.write(`\n=== acceptance: ${name} (up, preview, destroy${viaCli ? ", plain CLI" : ""}) ===\n`);
        rows.push(await accept(name, viaCli));
        process.stdout.write(`\n${table(rows)}\n`);
    }
    process.stdout.write(`\nacceptance: ${rows.filter((r) => r.ok).length} of ${rows.length} stacks passed in ${seconds(started)}\n${table(rows)}\n`);
    if (rows.some((r) => !r.ok)) process.exit(1);
}

if (require.main === module) {
    main().catch((err) => {
        process.stderr.write(`${err instanceof Error ? err.message : err}\n`);
        process.exit(1);
    });
}
