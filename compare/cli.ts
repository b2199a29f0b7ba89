// npm run compare -- <stack> <stack>... [--baseline host|<stack>] [--format table|json|markdown|html] [--out FILE]
// npm run compare -- <stack> --save <name>        saves the stack's current run (results/<name>.json)
// npm run compare -- <stack> --against <name>     reproducibility against a saved run
// npm run compare -- @<name> @<name> <stack>...   saved runs compare like stacks
import * as fs from "fs";
import { readStack, StackSnapshot } from "./snapshot";
import { compareStacks, comparisonSections, reproductionSections } from "./report";
import { loadRun, reproduce, RESULTS_DIR, saveRun } from "./reproducibility";
import { HOST_BASELINE } from "./metricsTable";
import { renderText } from "./render/text";
import { renderMarkdown } from "./render/markdown";
import { renderHtml } from "./render/html";

const FORMATS = ["table", "json", "markdown", "html"] as const;
type Format = (typeof FORMATS)[number];

export interface CliArgs {
    stacks: string[];
    baseline: string;
    format: Format;
    out?: string;
    save?: string;
    against?: string;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[]): CliArgs {
    const args: CliArgs = { stacks: [], baseline: HOST_BASELINE, format: "table" };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value`);
            return v;
        };
        if (a === "--baseline") args.baseline = value();
        else if (a === "--format") {
            const f = value();
            if (!FORMATS.includes(f as Format)) throw new UsageError(`--format ${f}: use one of ${FORMATS.join(", ")}`);
            args.format = f as Format;
        } else if (a === "--out") args.out = value();
        else if (a === "--save") args.save = value();
        else if (a === "--against") args.against = value();
        else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
        else args.stacks.push(a);
    }
    if (args.save || args.against) {
        if (args.stacks.length !== 1) throw new UsageError(`--save and --against take exactly one stack, got ${args.stacks.length}`);
        if (args.save && args.against) throw new UsageError("use --save or --against, not both");
    } else if (args.stacks.length < 2) {
        throw new UsageError("name two or more stacks to compare (or one stack with --save/--against)");
    }
    return args;
}

/** A stack by name, or a saved run as `@<name>` (results/<name>.json), e.g. to compare runs made one after another. */
export async function readSnapshot(name: string, dir = RESULTS_DIR): Promise<StackSnapshot> {
    if (!name.startsWith("@")) return readStack(name);
    const saved = loadRun(name.slice(1), dir);
    return { ...saved, name: `${saved.stack}${name}` };
}

export async function run(args: CliArgs, read: (name: string) => Promise<StackSnapshot> = readSnapshot): Promise<string> {
    if (args.save) return `saved ${args.stacks[0]} as ${saveRun(await read(args.stacks[0]), args.save)}\n`;
    if (args.against) {
        const rep = reproduce(await read(args.stacks[0]), loadRun(args.against));
        if (args.format === "json") return `${JSON.stringify(rep, null, 2)}\n`;
        const sections = reproductionSections(rep);
        return args.format === "markdown" ? renderMarkdown(sections) : renderText(sections);
    }
    const comparison = compareStacks(await Promise.all(args.stacks.map((s) => read(s))), args.baseline);
    switch (args.format) {
        case "json":
            return `${JSON.stringify(comparison, null, 2)}\n`;
        case "markdown":
            return renderMarkdown(comparisonSections(comparison));
        case "html":
            return renderHtml(comparison);
        default:
            return renderText(comparisonSections(comparison));
    }
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    const out = await run(args);
    if (args.out) {
        fs.writeFileSync(args.out, out);
        process.stdout.write(`wrote ${args.out}\n`);
    } else {
        process.stdout.write(out);
    }
}

if (require.main === module) {
    main().catch((err) => {
        process.stderr.write(`compare: ${err instanceof Error ? err.message : err}\n`);
        process.exit(err instanceof UsageError ? 2 : 1);
    });
}
