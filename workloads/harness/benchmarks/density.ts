// Density: how the platform holds more guests at once, and what each costs the host. For each count
// in `benchmark.density.guests` (ascending) that many of the stack's minimal guests are started
// together from stopped, and the suite times until every one answers over SSH. Then it reads the
// host memory each takes (the platform's own account), the drop of the host's free memory per
// guest, and the memory the host merges between identical pages (KSM), and stops them again. Once
// per repetition: the memory the stack's guests are configured with, over what the host has.
import type { Benchmark, BenchmarkModule, OperatedGuest, Sample, SuiteContext, Target } from "../contract";
import { cannot } from "../../../components/platforms/operations";
import { sleep } from "../../../components/lib/exec";
import { secondsUntilAnswers } from "../operations/readiness";

/** How long the guests may take to come up together: boots under emulation on 2 cores take minutes. */
const COME_BACK_SECONDS = 1800;
/** Memory is read this long after the last guest answered, when its services have started. */
const SETTLE_SECONDS = 5;
const MIB = 1048576;

const quantity = (k: number, what: string) => `guests_${k}.${what}`;

/** A number a script prints on the platform's host. */
async function readNumber(host: Target, script: string): Promise<number> {
    const out = (await host.exec(script, 120)).trim();
    const v = Number(out);
    if (out === "" || !Number.isFinite(v)) throw new Error(`density: expected a number from the platform's host, got ${JSON.stringify(out.slice(0, 200))}`);
    return v;
}

export function densityRun(ctx: SuiteContext): Benchmark {
    const density = ctx.densityGuests();
    const host = ctx.platformHost;
    const counts = [...ctx.config.density.guests].sort((a, b) => a - b);
    const skipped = new Map<string, string>();
    let sharing: string | undefined;
    const sample = (q: string, value: number, unit: string, params: Record<string, string | number>): Sample => ({
        quantity: q,
        subject: "system",
        value,
        unit,
        better: "lower",
        params,
    });
    const stop = (guests: OperatedGuest[], tolerant = false) =>
        Promise.all(guests.map((g) => host.exec(tolerant ? `${g.steps!.stop} >/dev/null 2>&1 || true` : g.steps!.stop, COME_BACK_SECONDS)));

    /** Starts the guests together; the seconds until the last one answers. */
    async function bootTogether(guests: OperatedGuest[]): Promise<number> {
        const t = Date.now();
        const ready = await Promise.all(
            guests.map(async (g) => {
                await host.exec(g.steps!.start, COME_BACK_SECONDS);
                return secondsUntilAnswers(g, t, COME_BACK_SECONDS);
            }),
        );
        await Promise.all(guests.map((g) => host.exec(g.steps!.settle, 60)));
        return Math.max(...ready);
    }

    return {
        async prepare() {
            if (!density) throw new Error("density: the stack has no density guests");
            const why =
                !density.memory || density.guests.some((g) => !g.memoryBytes)
                    ? "the platform keeps no account of its guests' memory here (no memory accounting)"
                    : density.guests.some((g) => !g.steps)
                      ? "the platform cannot stop and start a guest of its own here (no operations)"
                      : undefined;
            const metrics = counts.flatMap((k) => ["ready_seconds", "guest_memory_mib", "host_memory_per_guest_mib", "shared_mib"].map((w) => quantity(k, w)));
            if (why) {
                for (const m of [...metrics, "committed_ratio"]) skipped.set(m, why);
                return;
            }
            const share = density.memory!.pageSharing;
            const reason = cannot(share) ? share.cannot : share.check ? (await host.exec(share.check, 60)).trim() : "";
            if (reason) for (const k of counts) skipped.set(quantity(k, "shared_mib"), reason);
            else if (!cannot(share)) sharing = share.script;
        },
        async run() {
            if (!density!.memory || skipped.has("committed_ratio")) return [];
            const memory = density!.memory;
            const out: Sample[] = [];
            await stop(density!.guests, true);
            for (const k of counts) {
                const guests = density!.guests.slice(0, k);
                ctx.log(`density: ${k} guest(s) together`);
                const free = await readNumber(host, memory.freeBytes);
                const ready = await bootTogether(guests);
                await sleep(SETTLE_SECONDS * 1000);
                const drop = (free - (await readNumber(host, memory.freeBytes))) / k / MIB;
                const each: number[] = [];
                for (const g of guests) each.push((await readNumber(host, g.memoryBytes!)) / MIB);
                out.push(sample(quantity(k, "ready_seconds"), ready, "s", { guests: k, how: "started together from stopped, until the last answers SSH" }));
                out.push(
                    sample(quantity(k, "guest_memory_mib"), each.reduce((a, b) => a + b, 0) / k, "MiB", {
                        guests: k,
                        min: Math.round(Math.min(...each)),
                        max: Math.round(Math.max(...each)),
                        how: `mean over the guests, ${SETTLE_SECONDS} s after the last answered: ${memory.guestHow}`,
                    }),
                );
                out.push(
                    sample(quantity(k, "host_memory_per_guest_mib"), drop, "MiB", {
                        guests: k,
                        how: "the drop of the platform's free memory from before the start, per guest (other processes on the host move it too)",
                    }),
                );
                if (sharing)
                    out.push(
                        sample(quantity(k, "shared_mib"), (await readNumber(host, sharing)) / MIB, "MiB", {
                            guests: k,
                            how: "pages KSM merged on the host (all its processes)",
                        }),
                    );
                await stop(guests);
            }
            const committed = density!.committedMiB / ((await readNumber(host, memory.totalBytes)) / MIB);
            out.push({
                ...sample("committed_ratio", committed, "× host memory", {
                    committedMiB: density!.committedMiB,
                    how: "the memory every guest of the stack is configured with, over the memory the platform has for guests",
                    policy: (await host.exec(memory.commitPolicy, 60)).trim(),
                }),
                better: "higher",
            });
            return out;
        },
        async cleanup() {
            // Whatever happened, every density guest runs again, as the stack made it.
            if (!density || density.guests.some((g) => !g.steps)) return;
            await Promise.all(density.guests.map((g) => host.exec(g.steps!.recover, COME_BACK_SECONDS)));
            await Promise.all(density.guests.map((g) => secondsUntilAnswers(g, Date.now(), COME_BACK_SECONDS)));
            await Promise.all(density.guests.map((g) => host.exec(g.steps!.settle, 60)));
        },
        notMeasured: () => [...skipped.entries()].map(([metric, reason]) => ({ metric, reason })),
    };
}

export const densityBenchmark: BenchmarkModule<"density"> = {
    name: "density",
    description:
        "1, 2, 4… minimal guests (benchmark.density.guests) started together: the time until all answer, the host memory each takes, what KSM merges, and the memory committed over the host's",
    create: densityRun,
};
