import * as pulumi from "@pulumi/pulumi";
import * as path from "path";

/**
 * Every custom resource of the testbed is a Pulumi dynamic provider whose operations run in a
 * child process (`components/ops/main.ts`). The closure that Pulumi serializes into the state
 * therefore holds only two strings (the kind and the project root), and the real work is plain,
 * unit-testable TypeScript. `VTB_ROOT` overrides the root if the checkout moved since the up.
 */
export type OpKind = "secrets" | "image" | "bridge" | "guest" | "remote" | "benchmark";

export interface OpsProviderOptions {
    /** Input keys whose change forces a replacement (all other changes update in place). "*" = all. */
    replaceOn: "*" | string[];
}

export function opsProvider(kind: OpKind, options: OpsProviderOptions): pulumi.dynamic.ResourceProvider {
    const root = path.resolve(__dirname, "..");
    const replaceOn = options.replaceOn;
    // Runs one operation in a child process: JSON in on stdin, JSON out on stdout's last line.
    const run = (op: string, payload: unknown): Promise<any> => {
        const cp = require("child_process");
        const projectRoot = process.env.VTB_ROOT || root;
        const tsNode = require.resolve("ts-node/register/transpile-only", { paths: [projectRoot] });
        return new Promise((resolve, reject) => {
            const child = cp.spawn(process.execPath, ["-r", tsNode, `${projectRoot}/components/ops/main.ts`, kind, op], {
                cwd: projectRoot,
                stdio: ["pipe", "pipe", "pipe"],
            });
            let out = "";
            let err = "";
            child.stdout.on("data", (d: Buffer) => (out += d));
            child.stderr.on("data", (d: Buffer) => (err += d));
            child.on("close", (code: number) => {
                if (code !== 0) {
                    const tail = err.trim().split("\n").slice(-30).join("\n");
                    reject(new Error(`${kind} ${op} failed (exit ${code}):\n${tail}`));
                    return;
                }
                const lines = out.trim().split("\n");
                resolve(JSON.parse(lines[lines.length - 1] || "null"));
            });
            child.stdin.end(JSON.stringify(payload));
        });
    };
    return {
        async create(inputs: any) {
            return run("create", { inputs });
        },
        async read(id: string, props: any) {
            return run("read", { id, props });
        },
        async update(id: string, olds: any, news: any) {
            return run("update", { id, olds, news });
        },
        async delete(id: string, props: any) {
            await run("delete", { id, props });
        },
        async diff(_id: string, olds: any, news: any) {
            const changed = Object.keys(news).filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
            const replaces = replaceOn === "*" ? changed : changed.filter((k) => replaceOn.includes(k));
            return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
        },
    };
}
