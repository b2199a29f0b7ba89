// Security facts per stack, gathered from every guest and from the platform's host: whether the
// guest shares the host's kernel (same build, same boot time), whether its root is the host's root, what its init
// may do (capabilities, seccomp, LSM label), what it sees (device nodes, the kernel log) and listens
// on, and how the host process that runs it (container init, QEMU) is confined. Each fact is a
// sample (0/1 or a count) so compare can table it; where guests differ, the worst one counts.
import type { BenchmarkModule, Sample, SuiteContext } from "../contract";
import { ROLES, RoleName } from "../../../components/roles";
import { confined, sameKernel, GUEST_FACTS_SCRIPT, GuestFacts, HostFacts, hostFactsScript, parseGuestFacts, parseHostFacts } from "../security/facts";

interface Observed {
    guest: string;
    facts: GuestFacts;
    host: HostFacts;
}

/** One role per distinct guest (a compact topology carries several roles on one). */
function distinctGuests(ctx: SuiteContext): { role: RoleName; address: string }[] {
    const byAddress = new Map<string, RoleName>();
    for (const r of ROLES) if (!byAddress.has(ctx.guest(r).address)) byAddress.set(ctx.guest(r).address, r);
    return [...byAddress.entries()].map(([address, role]) => ({ role, address }));
}

async function observe(ctx: SuiteContext): Promise<Observed[]> {
    return Promise.all(
        distinctGuests(ctx).map(async ({ role, address }) => {
            const guest = `${role}@${address}`;
            const facts = parseGuestFacts(await ctx.guest(role).exec(GUEST_FACTS_SCRIPT, 120), guest);
            const host = parseHostFacts(await ctx.platformHost.exec(hostFactsScript(ctx.guestProcessProbe(role)), 120), `the platform host of ${guest}`);
            return { guest, facts, host };
        }),
    );
}

const bool = (b: boolean) => (b ? 1 : 0);
const each = (obs: Observed[], f: (o: Observed) => string) => obs.map((o) => `${o.guest}: ${f(o)}`).join("; ");

/** The facts as samples; exported for the unit tests. */
export function securitySamples(obs: Observed[]): Sample[] {
    const shared = (o: Observed) => sameKernel(o.facts.running, o.host.running);
    const hostRoot = (o: Observed) => shared(o) && o.facts.rootMapsTo === 0;
    const fact = (quantity: string, value: number, unit: string, better: "higher" | "lower", params: Record<string, string | number>): Sample => ({
        quantity,
        subject: "guest",
        value,
        unit,
        better,
        params: { guests: obs.map((o) => o.guest).join(", "), ...params },
    });
    const samples: Sample[] = [
        fact("shared_kernel", bool(obs.some(shared)), "bool", "lower", {
            how: "the guest's kernel build (/proc/version) and boot time (btime of /proc/stat) against the platform host's",
            kernels: each(obs, (o) => `guest ${o.facts.kernel}, host ${o.host.kernel}`),
        }),
        fact("root_is_host_root", bool(obs.some(hostRoot)), "bool", "lower", {
            how: "shared kernel and uid 0 of /proc/1/uid_map maps to host uid 0",
            rootMapsTo: each(obs, (o) => (shared(o) ? String(o.facts.rootMapsTo) : "its own kernel's")),
        }),
        fact("init_capabilities", Math.max(...obs.map((o) => o.facts.capabilities)), "capabilities", "lower", {
            of: obs[0].facts.capabilitiesKnown,
            perGuest: each(obs, (o) => String(o.facts.capabilities)),
        }),
        fact("init_seccomp_filter", bool(obs.every((o) => o.facts.seccomp === 2)), "bool", "higher", {
            modes: each(obs, (o) => ["none", "strict", "filter"][o.facts.seccomp] ?? String(o.facts.seccomp)),
        }),
        fact("device_nodes", Math.max(...obs.map((o) => o.facts.deviceNodes)), "nodes", "lower", {
            blockDevices: each(obs, (o) => String(o.facts.blockDevices)),
        }),
        fact("host_kernel_log_readable", bool(obs.some((o) => shared(o) && o.facts.kernelLogReadable)), "bool", "lower", {
            how: "dmesg succeeds in a guest that shares the host's kernel",
        }),
        fact("lsm_confined", bool(obs.every((o) => confined(o.facts.label))), "bool", "higher", {
            lsm: each(obs, (o) => o.facts.lsm),
            labels: each(obs, (o) => o.facts.label || "none"),
        }),
        fact(
            "listening_sockets",
            obs.reduce((n, o) => n + o.facts.listening.length, 0),
            "sockets",
            "lower",
            {
                listening: each(obs, (o) => o.facts.listening.join(" ") || "none"),
            },
        ),
    ];
    const processes = obs.map((o) => o.host.process);
    if (processes.every((p) => p)) {
        samples.push(
            fact("host_process_root", bool(processes.some((p) => p!.uid === 0)), "bool", "lower", {
                processes: each(obs, (o) => `${o.host.process!.comm} uid ${o.host.process!.uid}, ${o.host.process!.capabilities} capabilities`),
            }),
        );
        if (processes.every((p) => p!.comm.startsWith("qemu")))
            samples.push(fact("host_process_sandboxed", bool(processes.every((p) => p!.sandbox)), "bool", "higher", { how: "QEMU's -sandbox on (seccomp)" }));
    }
    return samples.map((s) =>
        obs.some((o) => o.host.noProcess) ? { ...s, params: { ...s.params, hostProcess: "none: the hypervisor runs the guest as a domain" } } : s,
    );
}

export const securityBenchmark: BenchmarkModule<"security"> = {
    name: "security",
    description:
        "security facts of every guest and of the host process that runs it: shared kernel, root mapping, init's capabilities/seccomp/LSM label, device nodes, kernel log, listening sockets, QEMU's user and sandbox",
    create: (ctx) => ({ run: async () => securitySamples(await observe(ctx)) }),
};
