// PostgreSQL throughput with pgbench (its TPC-B-like transaction), in the database guest against
// the middleware's own server, and on the bare host against the same PostgreSQL binaries from the
// base image with the same shared_buffers and WAL settings and as many cores as the guest has vCPUs (pgbench's
// clients run in parallel: a host with more cores than the guest would measure cores, not the
// platform), both over a Unix socket.
import * as os from "os";
import type { BenchmarkModule, SuiteContext, Target } from "../contract";
import { pgbenchTps } from "../parse";
import { sample } from "./overhead";
import { WAL_SETTINGS } from "../../../components/roles/database";

const SCALE = 10;
const CLIENTS = 4;
const THREADS = 2;
const DATABASE = "vtb_pgbench";
const PARAMS = { tool: "pgbench", scale: SCALE, clients: CLIENTS, threads: THREADS, transaction: "tpcb-like" };

const WAL_FLAGS = Object.entries(WAL_SETTINGS)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(" ");
const pgbench = (seconds: number, conn = "") => `pgbench -n -c ${CLIENTS} -j ${THREADS} -T ${seconds} ${conn}`;
const asPostgres = (cmd: string) => `su postgres -s /bin/sh -c '${cmd}'`;

/**
 * The host's run: in a private mount namespace (its mounts vanish with it, even when killed), an
 * overlay of the base image (never written) as the root of a throw-away PostgreSQL on a free
 * port; the server runs in our process group, so an interrupt stops it too.
 */
export function hostRunScript(p: { rootfs: string; scratch: string; port: number; sharedBuffers: string; seconds: number; cpus: number }): string {
    const pg = "/usr/lib/postgresql/15/bin";
    const inRoot = [
        "set -e",
        "mkdir -p /run/postgresql && chown postgres /run/postgresql",
        `setpriv --reuid=postgres --regid=postgres --clear-groups ${pg}/initdb -D /var/tmp/pgdata -A trust >/dev/null`,
        `setpriv --reuid=postgres --regid=postgres --clear-groups ${pg}/postgres -D /var/tmp/pgdata -p ${p.port} -k /run/postgresql -c listen_addresses= -c shared_buffers=${p.sharedBuffers} ${WAL_FLAGS} >/var/tmp/pg.log 2>&1 &`,
        "pg=$!",
        "trap 'kill -INT $pg 2>/dev/null; wait $pg 2>/dev/null' EXIT",
        `i=0; until pg_isready -q -h /run/postgresql -p ${p.port}; do i=$((i+1)); [ $i -le 300 ] || { tail -5 /var/tmp/pg.log >&2; exit 1; }; sleep 0.1; done`,
        `setpriv --reuid=postgres --regid=postgres --clear-groups pgbench -i -q -s ${SCALE} -h /run/postgresql -p ${p.port} postgres >/dev/null 2>&1`,
        `setpriv --reuid=postgres --regid=postgres --clear-groups ${pgbench(p.seconds, `-h /run/postgresql -p ${p.port} postgres`)}`,
    ].join("\n");
    const w = p.scratch;
    return [
        "set -e",
        `rm -rf '${w}'; mkdir -p '${w}/upper' '${w}/work' '${w}/root'`,
        `taskset -c 0-${p.cpus - 1} unshare --mount --propagation private sh -es <<'VTB_NS'`,
        `mount -t overlay vtb-pgbench -o 'lowerdir=${p.rootfs},upperdir=${w}/upper,workdir=${w}/work' '${w}/root'`,
        `mount -t proc proc '${w}/root/proc'`,
        `mount --rbind /dev '${w}/root/dev'`,
        `chroot '${w}/root' /bin/sh -es <<'VTB_ROOT'`,
        inRoot,
        "VTB_ROOT",
        "VTB_NS",
        `rm -rf '${w}'`,
    ].join("\n");
}

async function guestSharedBuffers(db: Target): Promise<string> {
    return (await db.exec(asPostgres(`psql -tAc "SHOW shared_buffers"`))).trim();
}

export const dbBenchmark: BenchmarkModule<"db"> = {
    name: "db",
    description: "pgbench TPC-B-like, scale 10, 4 clients, in the database guest and on the bare host (same PostgreSQL, same shared_buffers and WAL settings)",
    create(ctx: SuiteContext) {
        const db = ctx.guest("database");
        const seconds = ctx.config.microSeconds;
        const scratch = `${ctx.hostScratch}/pgbench`;
        const cpus = Math.min(ctx.vcpusOf("database"), os.cpus().length);
        let sharedBuffers = "128MB";
        return {
            async prepare() {
                sharedBuffers = await guestSharedBuffers(db);
                await db.exec(
                    asPostgres(`dropdb --if-exists ${DATABASE} && createdb ${DATABASE} && pgbench -i -q -s ${SCALE} ${DATABASE} >/dev/null 2>&1`),
                    1800,
                );
            },
            async run() {
                const guestTps = pgbenchTps(await db.exec(asPostgres(pgbench(seconds, DATABASE)), seconds + 600));
                const port = await ctx.freeHostPort();
                const hostTps = pgbenchTps(
                    await ctx.host.exec(hostRunScript({ rootfs: ctx.baseRootfs, scratch, port, sharedBuffers, seconds, cpus }), seconds + 600),
                );
                const params = { ...PARAMS, sharedBuffers, hostCpus: cpus };
                return [
                    sample("guest", "tps", guestTps, "transactions/s", "higher", params),
                    sample("host", "tps", hostTps, "transactions/s", "higher", params),
                ];
            },
            async cleanup() {
                await db.exec(asPostgres(`dropdb --if-exists ${DATABASE}`));
                await ctx.host.exec(`rm -rf '${scratch}'; rmdir --ignore-fail-on-non-empty '${ctx.hostScratch}' 2>/dev/null || true`);
            },
        };
    },
};
