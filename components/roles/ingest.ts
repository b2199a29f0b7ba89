import * as pulumi from "@pulumi/pulumi";
import { UNLIMITED } from "../platforms/driver";
import { intIn, Raw } from "../lib/settings";
import { supervisedProcesses, envFile, installService } from "./service";
import { defineRole, need } from "./role";

/** `workers` supervised ingest worker processes (workloads/guest/ingest/worker.ts) in the ingest guest. */
export function ingestScript(p: { amqpUrl: string; pgUrl: string; workers: number }): string {
    return `${envFile("/etc/vtb/ingest.env", { AMQP_URL: p.amqpUrl, PG_URL: p.pgUrl })}
${installService("30-ingest", supervisedProcesses("ingest", p.workers, "/etc/vtb/ingest.env", "node /opt/vtb/workloads/guest/ingest/worker.js"))}
sleep 3
i=1
while [ $i -le ${p.workers} ]; do
  kill -0 "$(cat /run/vtb-ingest-$i.pid 2>/dev/null)" 2>/dev/null || { tail -20 /var/log/vtb-ingest-*.log >&2; exit 1; }
  i=$((i + 1))
done
`;
}

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
        return {
            script: pulumi
                .all([need(ctx, "amqpUrl", "broker"), need(ctx, "pgUrl", "database")])
                .apply(([amqpUrl, pgUrl]) => ingestScript({ amqpUrl, pgUrl, workers: ctx.config.workers })),
        };
    },
});
