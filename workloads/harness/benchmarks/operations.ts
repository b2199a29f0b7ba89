// Operations timed on a guest of the stack's own (the operations guest, the measured guest's size):
// reboot from inside, pause and resume, a copy-on-write clone of the stopped guest, cold boot, and
// checkpoint and restore. The platform gives each step as a script for its host; the suite times
// the script and, where the guest must come back, until it answers over SSH again. A step the
// platform cannot take here is reported with its reason, never as a number.
import type { Benchmark, BenchmarkModule, Sample, SuiteContext, Target } from "../contract";
import { cannot, GuestOperations } from "../../../components/platforms/operations";
import { BOOT_ID, rebootScript, secondsUntilAnswers } from "../operations/readiness";
import { sleep } from "../../../components/lib/exec";
import { continuousProbe, largestGapSeconds, PROBE_INTERVAL_MS } from "../operations/downtime";

/** How long a guest may take to come back: a boot under emulation on 2 cores takes a minute or more. */
const COME_BACK_SECONDS = 900;
/** The reboot is requested this long after the SSH command that asks for it returns, and taken off. */
const REBOOT_DELAY_SECONDS = 0.5;

/** How long the downtime probe runs before a migration and after the guest is back. */
const PROBE_MARGIN_MS = 10 * PROBE_INTERVAL_MS;

const metric = (op: string) => `ops.${op}_seconds`;

/** Why a capability is missing here: the platform's fixed reason, or what its check prints on the host. */
async function whyNot(host: Target, step: { cannot: string } | { check?: string }): Promise<string | undefined> {
    if ("cannot" in step) return step.cannot;
    return step.check ? (await host.exec(step.check, 120)).trim() || undefined : undefined;
}

export function operationsRun(ctx: SuiteContext): Benchmark {
    const guest = ctx.operationsGuest();
    const host = ctx.platformHost;
    const skipped = new Map<string, string>();
    const selected = new Set(ctx.config.operations.steps);
    const timed = async (script: string) => {
        const t = Date.now();
        await host.exec(script, COME_BACK_SECONDS);
        return (Date.now() - t) / 1000;
    };
    const untilBack = async (script: string) => {
        const t = Date.now();
        await host.exec(script, COME_BACK_SECONDS);
        const seconds = await secondsUntilAnswers(guest!, t, COME_BACK_SECONDS);
        await host.exec(steps().settle, 60);
        return seconds;
    };
    const steps = (): GuestOperations => guest!.steps!;
    const sample = (op: string, value: number, how: string): Sample => ({
        quantity: metric(op),
        subject: "system",
        value,
        unit: "s",
        better: "lower",
        params: { guest: guest!.name, how },
    });

    async function reboot(): Promise<number> {
        const before = (await guest!.exec(BOOT_ID, 60)).trim();
        // A guest that shares the host's boot id shares its kernel's PID 1: rebooting it would reboot the host.
        if (before === (await ctx.host.exec(BOOT_ID, 60)).trim()) throw new Error(`operations: ${guest!.name} shares the host's boot id; it is not rebooted`);
        await guest!.exec(rebootScript(REBOOT_DELAY_SECONDS), 60);
        const t = Date.now();
        const seconds = await secondsUntilAnswers(guest!, t, COME_BACK_SECONDS, (id) => id !== before);
        await host.exec(steps().settle, 60);
        return Math.max(0, seconds - REBOOT_DELAY_SECONDS);
    }

    return {
        async prepare() {
            if (!guest) throw new Error("operations: the stack has no operations guest");
            if (!guest.steps) {
                for (const op of ["reboot", "pause", "resume", "clone", "boot", "checkpoint", "restore", "migrate", "migrate_downtime"])
                    skipped.set(metric(op), "the platform runs no guest of its own to operate on (no operations)");
                return;
            }
            for (const [op, step] of [
                ["clone", guest.steps.clone],
                ["checkpoint", guest.steps.checkpoint],
                ["migrate", guest.steps.migrate],
            ] as const) {
                const reason = await whyNot(host, step);
                if (reason) skipped.set(metric(op), reason);
            }
            if (skipped.has(metric("migrate"))) skipped.set(metric("migrate_downtime"), skipped.get(metric("migrate"))!);
            // A clone our own interrupted run left is removed (discard touches only what carries our mark).
            if (!cannot(guest.steps.clone) && !skipped.has(metric("clone"))) await host.exec(guest.steps.clone.discard, 300);
            if (skipped.has(metric("checkpoint"))) skipped.set(metric("restore"), skipped.get(metric("checkpoint"))!);
        },
        async run() {
            if (!guest!.steps) return [];
            const s = steps();
            const out: Sample[] = [];
            if (selected.has("reboot")) {
                ctx.log("operations: reboot");
                out.push(sample("reboot", await reboot(), "reboot(2) inside the guest until it answers SSH with a new boot id"));
            }
            if (selected.has("pause")) {
                ctx.log("operations: pause, resume");
                out.push(sample("pause", await timed(s.pause), "the platform's pause command"));
                out.push(sample("resume", await untilBack(s.resume), "the platform's resume command until the guest answers SSH"));
            }
            const clone = selected.has("clone") && !cannot(s.clone) && !skipped.has(metric("clone")) ? s.clone : undefined;
            if (clone || selected.has("boot")) {
                ctx.log(`operations: stop,${clone ? " clone," : ""} boot`);
                await host.exec(s.stop, COME_BACK_SECONDS);
                if (clone) {
                    out.push(sample("clone", await timed(clone.make), "a copy-on-write clone of the stopped guest, defined, not started"));
                    await host.exec(clone.discard, 300);
                }
                out.push(sample("boot", await untilBack(s.start), "the platform's start command until the guest answers SSH"));
            }
            if (selected.has("checkpoint") && !cannot(s.checkpoint) && !skipped.has(metric("checkpoint"))) {
                ctx.log("operations: checkpoint, restore");
                out.push(sample("checkpoint", await timed(s.checkpoint.save), "the running guest's state saved to a file (the guest stops)"));
                out.push(sample("restore", await untilBack(s.checkpoint.restore), "the saved state restored until the guest answers SSH"));
                await host.exec(s.checkpoint.discard, 300);
            }
            const migrate = selected.has("migrate") && !cannot(s.migrate) && !skipped.has(metric("migrate")) ? s.migrate : undefined;
            if (migrate) {
                ctx.log("operations: migrate");
                if (migrate.ready) await host.exec(migrate.ready, COME_BACK_SECONDS);
                const probe = continuousProbe(guest!.address);
                let seconds: number;
                try {
                    // The probe sees the guest answer before the move and after it is back.
                    await sleep(PROBE_MARGIN_MS);
                    seconds = await timed(migrate.move);
                    await secondsUntilAnswers(guest!, Date.now(), COME_BACK_SECONDS);
                    await sleep(PROBE_MARGIN_MS);
                } catch (e) {
                    await probe.stop();
                    throw e;
                }
                const answered = await probe.stop();
                if (migrate.back) await host.exec(migrate.back, COME_BACK_SECONDS);
                await host.exec(s.settle, 60);
                out.push(sample("migrate", seconds, migrate.how));
                out.push(
                    sample(
                        "migrate_downtime",
                        largestGapSeconds(answered),
                        `the largest gap between the guest kernel's answers to a TCP connection attempt from the host every ${PROBE_INTERVAL_MS} ms, over the migration`,
                    ),
                );
            }
            return out;
        },
        async cleanup() {
            // Whatever happened, the guest runs again and nothing the steps made is left.
            if (guest?.steps) await host.exec(guest.steps.recover, COME_BACK_SECONDS);
            if (guest?.steps) await secondsUntilAnswers(guest, Date.now(), COME_BACK_SECONDS);
        },
        notMeasured: () => [...skipped.entries()].map(([m, reason]) => ({ metric: m, reason })),
    };
}

export const operationsBenchmark: BenchmarkModule<"operations"> = {
    name: "operations",
    description:
        "reboot, pause and resume, a copy-on-write clone of the stopped guest, cold boot, checkpoint and restore of the operations guest, timed on the platform's host until the guest answers again",
    create: operationsRun,
};
