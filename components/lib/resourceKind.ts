import * as pulumi from "@pulumi/pulumi";
import * as path from "path";

/**
 * Every custom resource of the testbed is a Pulumi dynamic provider whose operations run in a
 * child process (`components/ops/main.ts`). The provider object Pulumi serializes into the state
 * holds only plain data (kind, project root, replace rule) and methods that use nothing but
 * `this` and globals: no captured variables, so serialization cannot miss one. `VTB_ROOT`
 * overrides the root if the checkout moved since the up.
 */
export type OpKind = "secrets" | "image" | "bridge" | "guest" | "remote" | "benchmark" | "xenhost";

export interface OpsProviderOptions {
    /** Input keys whose change forces a replacement (all other changes update in place). "*" = all. */
    replaceOn: "*" | string[];
}

interface OpsProvider extends pulumi.dynamic.ResourceProvider {
    kind: OpKind;
    root: string;
    replaceOn: "*" | string[];
    exec(op: string, payload: unknown): Promise<any>;
}

export function opsProvider(kind: OpKind, options: OpsProviderOptions): pulumi.dynamic.ResourceProvider {
    const provider: OpsProvider = {
        kind,
        root: path.resolve(__dirname, "..", ".."),
        replaceOn: options.replaceOn,
        // Runs one operation in a child process: JSON in on stdin, JSON out on stdout's last line.
        exec(op: string, payload: unknown): Promise<any> {
            const cp = require("child_process");
            const root = process.env.VTB_ROOT || this.root;
            const tsNode = require.resolve("ts-node/register/transpile-only", { paths: [root] });
            const kind = this.kind;
            return new Promise((resolve, reject) => {
                const child = cp.spawn(process.execPath, ["-r", tsNode, `${root}/components/ops/main.ts`, kind, op], {
                    cwd: root,
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
        },
        async create(inputs: any) {
            return this.exec("create", { inputs });
        },
        async read(id: string, props: any) {
            return this.exec("read", { id, props });
        },
        async update(id: string, olds: any, news: any) {
            return this.exec("update", { id, olds, news });
        },
        async delete(id: string, props: any) {
            await this.exec("delete", { id, props });
        },
        async diff(_id: string, olds: any, news: any) {
            const changed = Object.keys(news).filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
            const replaces = this.replaceOn === "*" ? changed : changed.filter((k) => this.replaceOn.includes(k));
            return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
        },
    };
    return provider;
}
