// Entry point of the dynamic providers' child process (see components/lib/resourceKind.ts):
// `main.ts <kind> <op>` reads a JSON request on stdin and prints one JSON answer line on stdout.
// Logs go to stderr, which the provider shows only when an operation fails; never log secrets.
import type { Implementations } from "./kinds";
import type { Implementation, OpRequest } from "../lib/resourceKind";
import { secretsOps } from "../secrets/stackSecrets.ops";
import { imageOps } from "../image/baseImage.ops";
import { bridgeOps } from "../network/bridge.ops";
import { platformImplementations } from "../platforms/kinds";
import { remoteOps } from "../roles/remoteCommand.ops";
import { benchmarkOps } from "../benchmarkRun.ops";
import { stopEverything } from "../lib/exec";

const registry: Implementations = {
    secrets: secretsOps,
    image: imageOps,
    bridge: bridgeOps,
    remote: remoteOps,
    benchmark: benchmarkOps,
    ...platformImplementations,
};

type AnyImplementation = Implementation<object, object>;
type Request = OpRequest<object, object>;

async function readStdin(): Promise<Request> {
    let data = "";
    for await (const chunk of process.stdin) data += chunk;
    return JSON.parse(data || "{}") as Request;
}

/** A field the operation needs from the request. */
function field<T>(value: T | undefined, name: string): T {
    if (value === undefined) throw new Error(`request without ${name}`);
    return value;
}

function implementationOf(kind: string): AnyImplementation {
    if (!(kind in registry)) throw new Error(`unknown resource kind ${kind}`);
    return registry[kind as keyof Implementations] as AnyImplementation;
}

/** The answer on stdout's last line: what the engine expects back from each operation. */
type Answer = { id: string; outs: object } | { id: string; props: object } | { outs: object } | Record<string, never>;

async function main(): Promise<Answer> {
    const [kind, op] = process.argv.slice(2);
    const ops = implementationOf(kind);
    const req = await readStdin();
    switch (op) {
        case "create": {
            const { id, outs } = await ops.create(field(req.inputs, "inputs"));
            return { id, outs: { ...req.inputs, ...outs } };
        }
        case "read": {
            const id = field(req.id, "id");
            const props = ops.read ? await ops.read(id, field(req.props, "props")) : req.props;
            // An empty id tells the engine the resource is gone.
            return props === undefined ? { id: "", props: {} } : { id, props };
        }
        case "update": {
            if (!ops.update) throw new Error(`${kind} cannot be updated in place`);
            const { outs } = await ops.update(field(req.id, "id"), field(req.olds, "olds"), field(req.news, "news"));
            return { outs: { ...req.news, ...outs } };
        }
        case "delete":
            await ops.delete(field(req.id, "id"), field(req.props, "props"));
            return {};
        default:
            throw new Error(`unknown operation ${op}`);
    }
}

/**
 * An interrupt (Ctrl-C, SIGTERM) or the provider's death must not leave commands running nor key
 * files behind: end every command's process group and remove temporary files. The operation then
 * fails and runs its own clean-up (a failed create removes what it made), and the process exits;
 * a clean-up that hangs is cut off after two minutes.
 */
let stopping = false;
function onInterrupt(reason: string): void {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`interrupted (${reason}): stopping what this operation started\n`);
    void stopEverything();
    setTimeout(() => process.exit(130), 120_000).unref();
}
process.on("SIGINT", () => onInterrupt("SIGINT"));
process.on("SIGTERM", () => onInterrupt("SIGTERM"));
process.on("SIGHUP", () => onInterrupt("SIGHUP"));
const parent = process.ppid;
setInterval(() => {
    if (process.ppid !== parent) onInterrupt("the provider process went away");
}, 1000).unref();

// The operation ends when it answers: a handle something left open (a socket, a timer) must not
// keep the engine waiting for this process.
main().then(
    (answer) => process.stdout.write(JSON.stringify(answer) + "\n", () => process.exit(0)),
    (err: Error) => {
        process.stderr.write(`${err.stack || err}\n`);
        process.exit(1);
    },
);
