// The bare host's network path of the same kind as a guest's: two network namespaces, each with a
// veth to a bridge in a third. Private to the run (its own namespaces and addresses, nothing on the
// host's interfaces or the stack's bridge), removed afterwards even when the measurement fails.
import type { Target } from "./contract";
import { run } from "../../components/lib/exec";

export interface HostPath {
    client: Target;
    server: Target;
    serverAddress: string;
    /** What the path is, for the params. */
    description: string;
}

const SUBNET = "192.168.254";

/** Targets that run their script in a network namespace of the host. */
const inNamespace = (ns: string): Target => ({
    name: ns,
    exec: (script, timeoutSeconds = 600) => run("ip", ["netns", "exec", ns, "sh", "-es"], { input: script, timeoutMs: timeoutSeconds * 1000 }),
});

export function hostPathScript(names: { client: string; server: string; bridge: string }): string {
    const { client, server, bridge } = names;
    return [
        ...[client, server, bridge].map((ns) => `ip netns add ${ns}`),
        `ip -n ${bridge} link add br0 type bridge`,
        `ip -n ${bridge} link set br0 up`,
        ...[
            [client, 1],
            [server, 2],
        ].flatMap(([ns, host]) => [
            `ip link add eth0 netns ${ns} type veth peer name p${host} netns ${bridge}`,
            `ip -n ${bridge} link set p${host} master br0 up`,
            `ip -n ${ns} addr add ${SUBNET}.${host}/24 dev eth0`,
            `ip -n ${ns} link set eth0 up`,
            `ip -n ${ns} link set lo up`,
        ]),
    ].join("\n");
}

/** Runs `measure` over a fresh path named after the stack and this process; the namespaces go afterwards. */
export async function withHostPath<T>(stack: string, measure: (p: HostPath) => Promise<T>): Promise<T> {
    const base = `vtb-${stack}-hp${process.pid}`;
    const names = { client: `${base}-c`, server: `${base}-s`, bridge: `${base}-br` };
    const existing = (await run("ip", ["netns", "list"], { timeoutMs: 10_000 })).split("\n").map((l) => l.split(" ")[0]);
    const taken = Object.values(names).filter((n) => existing.includes(n));
    if (taken.length) throw new Error(`network namespace ${taken.join(", ")} already exists: refusing to touch what this run did not make`);
    try {
        await run("sh", ["-es"], { input: hostPathScript(names), timeoutMs: 30_000 });
        return await measure({
            client: inNamespace(names.client),
            server: inNamespace(names.server),
            serverAddress: `${SUBNET}.2`,
            description: "two network namespaces, each with a veth to a bridge (as a guest's veth/tap to the stack's bridge)",
        });
    } finally {
        for (const ns of Object.values(names)) await run("ip", ["netns", "del", ns], { timeoutMs: 10_000 }).catch(() => undefined);
    }
}
