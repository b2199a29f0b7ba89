import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { UNLIMITED } from "../platforms/driver";
import { installService } from "./service";
import { defineRole, noSettings } from "./role";

export const PG_PORT = 5432;
const SCHEMA = fs.readFileSync(path.join(__dirname, "..", "..", "workloads", "guest", "ingest", "schema.sql"), "utf8");

/**
 * Fewer, spread checkpoints for a write-heavy ingest; every one is applied by a reload. Commits stay
 * synchronous: a worker acks the broker after the commit, so an asynchronous commit could lose an
 * observation the broker has already dropped. The host-side pgbench runs with the same settings.
 */
export const WAL_SETTINGS: Readonly<Record<string, string>> = {
    synchronous_commit: "on",
    max_wal_size: "1GB",
    min_wal_size: "256MB",
    checkpoint_timeout: "15min",
    checkpoint_completion_target: "0.9",
};

/**
 * The dashboard's read-only role's password: derived from the stack's database password (so it is
 * per stack and a Pulumi secret like it, without a new field in stacks' existing secrets).
 */
export const readOnlyPassword = (databasePassword: string) => createHash("sha256").update(`vtb_dashboard:${databasePassword}`).digest("hex").slice(0, 32);

/** PostgreSQL 15 reachable from the stack's subnet only, with the observations schema; the dashboard's role may only read it. */
export function databaseScript(p: { password: string; subnet: string; memoryMiB: number }): string {
    const conf = "/etc/postgresql/15/main";
    return `cat > ${conf}/conf.d/vtb.conf <<'VTB_CONF'
listen_addresses = '*'
shared_buffers = ${Math.max(32, Math.floor(p.memoryMiB / 4))}MB
${Object.entries(WAL_SETTINGS)
    .map(([k, v]) => `${k} = '${v}'`)
    .join("\n")}
VTB_CONF
grep -q '# vtb-subnet' ${conf}/pg_hba.conf || echo 'host sensing vtb ${p.subnet} scram-sha-256 # vtb-subnet' >> ${conf}/pg_hba.conf
grep -q '# vtb-dashboard' ${conf}/pg_hba.conf || echo 'host sensing vtb_dashboard ${p.subnet} scram-sha-256 # vtb-dashboard' >> ${conf}/pg_hba.conf
${installService("20-postgresql", "pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start")}
pg_ctlcluster 15 main reload
until su postgres -c 'pg_isready -q'; do sleep 0.5; done
su postgres -c 'psql -q -v ON_ERROR_STOP=1' <<'VTB_SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vtb') THEN CREATE ROLE vtb LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vtb_dashboard') THEN CREATE ROLE vtb_dashboard LOGIN; END IF;
END $$;
ALTER ROLE vtb PASSWORD '${p.password}';
ALTER ROLE vtb_dashboard PASSWORD '${readOnlyPassword(p.password)}';
VTB_SQL
su postgres -c 'psql -tAc "SELECT 1 FROM pg_database WHERE datname = '"'"'sensing'"'"'"' | grep -q 1 || su postgres -c 'createdb -O vtb sensing'
su postgres -c 'psql -q -v ON_ERROR_STOP=1 -d sensing' <<'VTB_SQL'
SET ROLE vtb;
${SCHEMA}
GRANT CONNECT ON DATABASE sensing TO vtb_dashboard;
GRANT USAGE ON SCHEMA public TO vtb_dashboard;
GRANT SELECT ON observations TO vtb_dashboard;
VTB_SQL
`;
}

/** PostgreSQL, where the ingest workers store the observations. */
export const databaseRole = defineRole({
    name: "database",
    type: "Database",
    defaults: { vcpus: 1, memoryMiB: 1024, ...UNLIMITED },
    ...noSettings,
    compactGuest: "core",
    needs: [],
    setup(ctx) {
        return {
            script: ctx.secrets.databasePassword.apply((password) => databaseScript({ password, subnet: ctx.subnet, memoryMiB: ctx.config.memoryMiB })),
            endpoints: {
                pgUrl: pulumi.interpolate`postgres://vtb:${ctx.secrets.databasePassword}@${ctx.address}:${PG_PORT}/sensing`,
                readOnlyPgUrl: pulumi.interpolate`postgres://vtb_dashboard:${ctx.secrets.databasePassword.apply(readOnlyPassword)}@${ctx.address}:${PG_PORT}/sensing`,
            },
        };
    },
});
