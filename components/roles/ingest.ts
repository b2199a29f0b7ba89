import * as pulumi from "@pulumi/pulumi";
import { UNLIMITED } from "../platforms/driver";
import { intIn, Raw } from "../lib/settings";
import { supervisedProcesses, envFile, installService } from "./service";
import { defineRole, need } from "./role";

const WORKERS = (count: number) => supervisedProcesses("ingest", count, "/etc/vtb/ingest.env", "node /opt/vtb/workloads/guest/ingest/worker.js");

/** `workers` supervised ingest worker processes (workloads/guest/ingest/worker.ts) in the ingest guest. */
export function ingestScript(p: { amqpUrl: string; pgUrl: string; workers: number; readyTimeoutSeconds: number }): string {
    return `${envFile("/etc/vtb/ingest.env", { AMQP_URL: p.amqpUrl, PG_URL: p.pgUrl })}
${installService("30-ingest", WORKERS(p.workers))}
${WAIT_FOR_WORKERS(p.workers, p.readyTimeoutSeconds)}
`;
}

/**
 * Runs `workers` ingest workers in place of those running now, until the guest's next boot (which
 * starts the configured count again), and waits until each consumes: the scaling suite's step.
 */
export function restartIngestWorkers(workers: number, readyTimeoutSeconds: number): string {
    // The old workers are gone before the wait reads PID files (a stale one must not count as consuming).
    const stopOld =
        "for p in $(cat /run/vtb-ingest.pids 2>/dev/null); do kill $p 2>/dev/null || true; done; : > /run/vtb-ingest.pids; sleep 2; rm -f /run/vtb-ingest-*.pid";
    return `${stopOld}\n${WORKERS(workers)}\n${WAIT_FOR_WORKERS(workers, readyTimeoutSeconds)}\n`;
}

/** Waits until every worker consumes (each writes its PID file then); node starts slowly under emulation. */
const WAIT_FOR_WORKERS = (workers: number, timeoutSeconds: number) => `deadline=$(( $(date +%s) + ${timeoutSeconds} ))
i=1
while [ $i -le ${workers} ]; do
  until kill -0 "$(cat /run/vtb-ingest-$i.pid 2>/dev/null)" 2>/dev/null; do
    [ $(date +%s) -lt $deadline ] || { echo "ingest worker $i not consuming after ${timeoutSeconds} s" >&2; tail -20 /var/log/vtb-ingest-$i.log >&2; exit 1; }
    sleep 1
  done
  i=$((i + 1))
done`;

/** The ingest workers: from the broker's queue into the database. */
export const ingestRole = defineRole({
    name: "ingest",
    type: "Ingest",
    defaults: { vcpus: 1, memoryMiB: 512, ...UNLIMITED, workers: 2 },
    settingKeys: ["workers"],
    parseSettings: (raw: Raw, section: string) => ({ workers: intIn(raw, "workers", `${section}.workers`, 2, 1, 32) }),
    compactGuest: "apps",
    needs: ["broker", "database"],
    setup(ctx) {
        const ready = ctx.emulated.apply((e) => (e ? 600 : 60));
        return {
            script: pulumi
                .all([need(ctx, "amqpUrl", "broker"), need(ctx, "pgUrl", "database"), ready])
                .apply(([amqpUrl, pgUrl, readyTimeoutSeconds]) => ingestScript({ amqpUrl, pgUrl, workers: ctx.config.workers, readyTimeoutSeconds })),
            timeoutSeconds: ready.apply((t) => t + 60),
        };
    },
});
