// The facts preflight.ts judges a stack's plan by, read from this host and this checkout. Runs in
// the program before any resource is registered, so a collision or an oversized stack is refused
// before anything is provisioned (during preview too).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as v8 from "v8";
import { parseConfig, TestbedConfig } from "./config";
import { HostCapacity, HostNetwork, OtherStack } from "./preflight";
import { hostScriptSync, SshHost } from "./lib/sshHost";
import { HOST_PROFILE_SCRIPT, HostProfile, parseHostProfile } from "./platforms/common/hostProfile";

// js-yaml 4.3.2 ships no typings; the one function used is typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as { load(text: string): unknown };

/** Prints the host's interfaces, addresses and IPv4 routes as `ip -j`'s JSON, a line each. */
const NETWORK_SCRIPT = "ip -j link show; echo; ip -j addr show; echo; ip -j -4 route show table all";

/** Every IPv4 address and route of a host, and the interfaces that carry the given ownership mark, from NETWORK_SCRIPT's output. */
export function parseHostNetwork(out: string, mark: string): { network: HostNetwork; ownLinks: Set<string> } {
    const [linksJson, addrsJson, routesJson] = out.split("\n").filter((l) => l.trim());
    const json = <T>(text: string | undefined) => JSON.parse(text || "[]") as T[];
    // `ip addr` leaves out the alias (where our marks live): it comes from `ip link`.
    const links = json<{ ifname: string; ifalias?: string }>(linksJson);
    const addrs = json<{ ifname: string; addr_info?: { family: string; local: string; prefixlen: number }[] }>(addrsJson);
    const routes = json<{ dst: string; dev?: string }>(routesJson);
    return {
        network: {
            links: links.map((l) => ({ ifname: l.ifname, alias: l.ifalias })),
            addresses: addrs.flatMap((l) =>
                (l.addr_info ?? []).filter((a) => a.family === "inet").map((a) => ({ ifname: l.ifname, cidr: `${a.local}/${a.prefixlen}` })),
            ),
            routes: routes.filter((r) => /^\d/.test(r.dst) || r.dst === "default").map((r) => ({ dst: r.dst, dev: r.dev })),
        },
        ownLinks: new Set(links.filter((l) => l.ifalias?.trim() === mark).map((l) => l.ifname)),
    };
}

/** This machine's network, and the interfaces that carry the given ownership mark. */
export function hostNetwork(mark: string): { network: HostNetwork; ownLinks: Set<string> } {
    return parseHostNetwork(execFileSync("sh", ["-c", NETWORK_SCRIPT], { encoding: "utf8", timeout: 30_000 }), mark);
}

/** A remote host's network, read over SSH. */
export function remoteHostNetwork(host: SshHost, mark: string): { network: HostNetwork; ownLinks: Set<string> } {
    return parseHostNetwork(hostScriptSync(host, NETWORK_SCRIPT), mark);
}

/** A remote host's profile, read over SSH. */
export function remoteHostProfile(host: SshHost): HostProfile {
    return parseHostProfile(hostScriptSync(host, HOST_PROFILE_SCRIPT));
}

/** The other stacks whose stack files sit in this checkout, with the network each one plans. */
export function otherStacks(root: string, stack: string): OtherStack[] {
    const found: OtherStack[] = [];
    for (const file of fs.readdirSync(root)) {
        const m = /^Pulumi\.(.+)\.yaml$/.exec(file);
        if (!m || m[1] === stack) continue;
        const config = parseStackFile(path.join(root, file));
        if (config) found.push({ name: m[1], bridge: config.network.bridge, subnet: config.network.subnet });
    }
    return found;
}

/** A stack file's settings, validated as an up validates them (a ConfigError names the setting and the fix). */
export function stackFileConfig(file: string): TestbedConfig {
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | undefined;
    const raw: Record<string, unknown> = {};
    // As the engine hands them to the program (loadConfig.ts): a scalar arrives as text, read as JSON where it is JSON.
    const asProgramSees = (v: unknown) => {
        if (typeof v === "object" && v !== null) return v;
        try {
            return JSON.parse(String(v)) as unknown;
        } catch {
            return String(v);
        }
    };
    for (const [k, v] of Object.entries(doc?.config ?? {})) if (k.startsWith("virt-testbed:")) raw[k.slice("virt-testbed:".length)] = asProgramSees(v);
    return parseConfig(raw);
}

/** A stack file's settings, or undefined when they are not a valid testbed stack (its own up will say why). */
function parseStackFile(file: string): TestbedConfig | undefined {
    try {
        return stackFileConfig(file);
    } catch {
        return undefined;
    }
}

/** Cores, memory and the load generator's heap of this host. */
export function hostCapacity(): HostCapacity {
    const memTotalKiB = Number(/^MemTotal:\s+(\d+)/m.exec(fs.readFileSync("/proc/meminfo", "utf8"))?.[1] ?? os.totalmem() / 1024);
    return { cores: os.cpus().length, memoryMiB: Math.floor(memTotalKiB / 1024), generatorHeapBytes: v8.getHeapStatistics().heap_size_limit };
}
