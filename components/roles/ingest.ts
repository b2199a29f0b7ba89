import { backgroundProcesses, envFile, installService } from "./service";

/** `workers` ingest worker processes (workloads/guest/ingest/worker.ts) in the ingest guest. */
export function ingestScript(p: { amqpUrl: string; pgUrl: string; workers: number }): string {
    return `${envFile("/etc/vtb/ingest.env", { AMQP_URL: p.amqpUrl, PG_URL: p.pgUrl })}
${installService("30-ingest", backgroundProcesses("ingest", p.workers, "/etc/vtb/ingest.env", "node /opt/vtb/workloads/guest/ingest/worker.js"))}
sleep 2
for p in $(cat /run/vtb-ingest.pids); do kill -0 $p || { tail -20 /var/log/vtb-ingest-*.log >&2; exit 1; }; done
`;
}
