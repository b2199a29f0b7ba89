import { UNLIMITED } from "../platforms/driver";
import { supervisedProcesses, envFile, installService } from "./service";
import { defineRole, need, noSettings } from "./role";

export const DASHBOARD_PORT = 8080;

/** The dashboard and query API (workloads/guest/viz/server.ts) in the visualization guest. */
export function visualizationScript(p: { pgUrl: string }): string {
    return `${envFile("/etc/vtb/viz.env", { PG_URL: p.pgUrl, PORT: String(DASHBOARD_PORT) })}
${installService("40-viz", supervisedProcesses("viz", 1, "/etc/vtb/viz.env", "node /opt/vtb/workloads/guest/viz/server.js"))}
for i in $(seq 50); do node -e "require('http').get('http://127.0.0.1:${DASHBOARD_PORT}/healthz', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))" && exit 0; sleep 0.2; done
tail -20 /var/log/vtb-viz-1.log >&2; exit 1
`;
}

/** The dashboard and its query API over the stored observations. */
export const visualizationRole = defineRole({
    name: "visualization",
    type: "Visualization",
    defaults: { vcpus: 1, memoryMiB: 512, ...UNLIMITED },
    ...noSettings,
    compactGuest: "apps",
    needs: ["database"],
    setup(ctx) {
        return {
            // Read-only: what the dashboard serves cannot write to the database.
            script: need(ctx, "readOnlyPgUrl", "database").apply((pgUrl) => visualizationScript({ pgUrl })),
            endpoints: { dashboardUrl: `http://${ctx.address}:${DASHBOARD_PORT}/` },
        };
    },
});
