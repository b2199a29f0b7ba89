import * as pulumi from "@pulumi/pulumi";
import * as path from "path";

// The one seam of the testbed's custom resources (docs/architecture.md, "Resources"). A resource
// kind is declared once — its name, its inputs and outputs, what replaces it, what is secret — and
// both sides are derived from that declaration: the front-end class the program instantiates
// (`resourceClass`) and the type of the operations the child process runs (`Implementation`,
// dispatched by components/ops/main.ts, whose table the compiler checks against every kind).

/** A resource kind: `I` its inputs, `O` the outputs its create adds (every input is an output too). */
export interface ResourceKind<N extends string, I extends object, O extends object> {
    /** What the child process dispatches on; part of the provider serialized into the state, so never renamed. */
    readonly name: N;
    /** Pulumi type name (`virt-testbed:<type>`); part of every URN, so never renamed. */
    readonly type: string;
    /** Every output name, so the engine exposes them; the compiler checks the list is complete. */
    readonly outputs: { readonly [P in keyof O]-?: true };
    /** Inputs whose change forces a replacement (all other changes update in place). "*" = all. */
    readonly replaceOn: "*" | readonly (keyof I & string)[];
    /** Inputs or outputs Pulumi must keep encrypted. */
    readonly secrets?: readonly ((keyof I | keyof O) & string)[];
    /** Carries the types only; never set. */
    readonly types?: { inputs: I; outputs: O };
}

export function declareKind<I extends object, O extends object>() {
    return <N extends string>(decl: Omit<ResourceKind<N, I, O>, "types">): ResourceKind<N, I, O> => decl;
}

export type InputsOf<K> = K extends ResourceKind<string, infer I, infer _O> ? I : never;
export type OutputsOf<K> = K extends ResourceKind<string, infer _I, infer O> ? O : never;
/** What the engine keeps for a resource: its inputs and the outputs create added. */
export type StateOf<K> = InputsOf<K> & OutputsOf<K>;

/** The child-process side of a kind. Methods (not function properties) so one table can hold every kind. */
export interface Implementation<I, O> {
    create(inputs: I): Promise<{ id: string; outs: O }>;
    /** Current state of the resource, or undefined when it is gone (drift). */
    read?(id: string, props: I & O): Promise<(I & O) | undefined>;
    update?(id: string, olds: I & O, news: I): Promise<{ outs: O }>;
    delete(id: string, props: I & O): Promise<void>;
}
export type ImplementationOf<K> = K extends ResourceKind<string, infer I, infer O> ? Implementation<I, O> : never;

/** A resource's args: each input may be a Pulumi input. */
export type ArgsOf<I> = { [P in keyof I]: pulumi.Input<I[P]> };
/** A resource's typed output properties: its outputs and its echoed inputs. */
export type OutputPropertiesOf<I, O> = { readonly [P in keyof (I & O)]-?: pulumi.Output<(I & O)[P]> };

type ResourceClass<I, O> = new (name: string, args: ArgsOf<I>, opts?: pulumi.CustomResourceOptions) => pulumi.dynamic.Resource & OutputPropertiesOf<I, O>;

/** The front-end class of a kind, with a typed property per input and output. */
export function resourceClass<N extends string, I extends object, O extends object>(kind: ResourceKind<N, I, O>): ResourceClass<I, O> {
    const provider = opsProvider(kind.name, kind.replaceOn);
    class KindResource extends pulumi.dynamic.Resource {
        constructor(name: string, args: ArgsOf<I>, opts?: pulumi.CustomResourceOptions) {
            // An output the engine should expose must be present (undefined) among the props.
            const outputs = Object.fromEntries(Object.keys(kind.outputs).map((k) => [k, undefined]));
            const additionalSecretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...(kind.secrets ?? [])];
            super(provider, name, { ...args, ...outputs }, { ...opts, additionalSecretOutputs }, "virt-testbed", kind.type);
        }
    }
    // The properties exist at run time (the engine fills them); the declaration types them. A
    // class cannot declare a generic mapped set of properties, hence this one cast.
    return KindResource as unknown as ResourceClass<I, O>;
}

/** A resource's properties as the engine hands them to diff: JSON values by name. */
type Props = Record<string, string | number | boolean | null | object>;

/** A request to the child process, as JSON on its stdin. */
export interface OpRequest<I, O> {
    inputs?: I;
    id?: string;
    props?: I & O;
    olds?: I & O;
    news?: I;
}

interface OpsProvider extends pulumi.dynamic.ResourceProvider {
    kind: string;
    root: string;
    replaceOn: "*" | readonly string[];
    exec<I, O, R>(op: string, payload: OpRequest<I, O>): Promise<R>;
}

/**
 * Every operation runs in a child process (`components/ops/main.ts`). The provider object Pulumi
 * serializes into the state holds only plain data (kind, project root, replace rule) and methods
 * that use nothing but `this` and globals: no captured variables, so serialization cannot miss
 * one. `VTB_ROOT` overrides the root if the checkout moved since the up.
 */
export function opsProvider(kind: string, replaceOn: "*" | readonly string[]): pulumi.dynamic.ResourceProvider {
    const provider: OpsProvider = {
        kind,
        root: path.resolve(__dirname, "..", ".."),
        replaceOn,
        // One operation in a child process: JSON in on stdin, JSON out on stdout's last line.
        exec<I, O, R>(op: string, payload: OpRequest<I, O>): Promise<R> {
            // Required here, not imported: the serialized provider may use nothing it captured.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
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
                    resolve(JSON.parse(lines[lines.length - 1] || "null") as R);
                });
                child.stdin.end(JSON.stringify(payload));
            });
        },
        async create(inputs: object) {
            return this.exec<object, object, pulumi.dynamic.CreateResult>("create", { inputs });
        },
        async read(id: string, props: object) {
            return this.exec<object, object, pulumi.dynamic.ReadResult>("read", { id, props });
        },
        async update(id: string, olds: object, news: object) {
            return this.exec<object, object, pulumi.dynamic.UpdateResult>("update", { id, olds, news });
        },
        async delete(id: string, props: object) {
            await this.exec<object, object, object>("delete", { id, props });
        },
        async diff(_id: string, olds: Props, news: Props) {
            const changed = Object.keys(news).filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
            const replaces = this.replaceOn === "*" ? changed : changed.filter((k) => this.replaceOn.includes(k));
            return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
        },
    };
    return provider;
}
