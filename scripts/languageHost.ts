// The Node.js language host for the plain `pulumi up` / `pulumi preview`.
//
// Pulumi's own host (the Go module sdk/nodejs/cmd/pulumi-language-nodejs) is refused by the Go
// module proxy reachable here, so this plugin serves the LanguageRuntime gRPC service with the
// Node SDK's own LanguageServer, the one the Automation API uses for inline programs. The CLI
// starts it like any language plugin and reads the port it prints; the program (index.ts) then
// runs in this process against the engine the CLI gives it. No engine logic lives here.
import * as path from "path";

const root = process.env.VTB_ROOT || process.cwd();
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [root] }));
// Modules resolved at run time from the SDK's own tree (they have no typings of their own here).
/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
const { LanguageServer } = require(path.join(pulumiDir, "automation", "server"));
const langrpc = require(path.join(pulumiDir, "proto", "language_grpc_pb"));

/** The project's program, loaded the way the Pulumi runtime loads a `main`. */
async function program(): Promise<unknown> {
    const mod = require(path.join(root, "index.ts"));
    return (typeof mod === "function" ? mod : mod.default)();
}

const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
server.addService(langrpc.LanguageRuntimeService, new LanguageServer(program));
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, port: number) => {
    if (err) {
        process.stderr.write(`language host: ${err.message}\n`);
        process.exit(1);
    }
    process.stdout.write(`${port}\n`); // the CLI reads the port from our first line
});
