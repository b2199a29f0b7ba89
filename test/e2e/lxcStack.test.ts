// End to end on the real machine: a temporary lxc stack goes up through the Pulumi engine,
// reports metrics, previews without changes, is destroyed, and leaves nothing on the host.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { hostLinkName } from "../../components/platforms/common/link";
import { newHostKey } from "../../components/platforms/common/hostKey";
import { sshScript } from "../../components/lib/ssh";
import type { Metrics } from "../../workloads/harness/suite";
import { parseArgs, run } from "../../compare/cli";
import { RESULTS_DIR } from "../../compare/reproducibility";
import { paintedPixels, screenshot, withPage } from "./browser";
import {
    commonLeftovers,
    expectCapsApplied,
    expectMetricsContract,
    expectNoChanges,
    expectOperations,
    removeStack,
    securityFact,
    sh,
    tempStack,
    TempStack,
    timedDestroy,
    timedUp,
} from "./stackRun";
import { expectEntitlement, expectIsolation } from "./neighbourChecks";

const GUESTS = ["broker", "database", "ingest", "visualization", "neighbour", "neighbour-capped", "ops", "ops-clone"];

function lxcLeftovers(t: TempStack): string[] {
    const found = commonLeftovers(t);
    const prefix = `vtb-${t.name}-`;
    const containers = sh("lxc-ls -1 2>/dev/null || true")
        .split("\n")
        .filter((n) => n.startsWith(prefix));
    if (containers.length) found.push(`containers: ${containers.join(" ")}`);
    for (const g of GUESTS) {
        if (fs.existsSync(`/var/lib/lxc/${prefix}${g}`)) found.push(`directory /var/lib/lxc/${prefix}${g}`);
        const veth = hostLinkName(`${prefix}${g}`);
        if (sh(`ip -br link show dev ${veth} 2>/dev/null || true`).trim()) found.push(`veth ${veth}`);
        // cgroup v1 keeps a directory per controller, v2 one for all.
        for (const dir of ["/sys/fs/cgroup/pids", "/sys/fs/cgroup"])
            if (fs.existsSync(`${dir}/lxc.payload.${prefix}${g}`)) found.push(`cgroup ${dir}/lxc.payload.${prefix}${g}`);
    }
    return found;
}

/** After the fork bomb and the rest: nothing of the stressors runs in the neighbours or on the host. */
function expectNothingLeftRunning(stack: string): void {
    for (const n of ["neighbour", "neighbour-capped"]) {
        const left = sh(`lxc-attach -n vtb-${stack}-${n} -- ps -eo args`)
            .split("\n")
            .filter((l) => /stress-ng|iperf3|fio|timeout/.test(l));
        expect(left, n).to.deep.equal([]);
    }
    expect(
        sh("ps -eo args")
            .split("\n")
            .filter((l) => /^iperf3 -s -1 -B /.test(l) || /^stress-ng/.test(l)),
    ).to.deep.equal([]);
}

describe("lxc stack end to end", function () {
    let t: TempStack | undefined;
    let metrics: Metrics;
    let rootfs = "";
    let guests: Record<string, any>;
    let dashboard = "";

    before(async function () {
        this.timeout(40 * 60_000);
        t = await tempStack("e2e", "10.231.250.0/24", {
            platform: "lxc",
            "topology.ingest.workers": "2",
            "benchmark.suites": "pipeline,cpu,memory,disk,network,db,security,operations",
            "topology.database.diskIops": "2000",
            "topology.database.diskMBps": "200",
            "topology.ingest.netMbps": "500",
        });
        const res = await timedUp(t);
        ({ metrics, guests, dashboard } = res);
        rootfs = String(Object.values(guests)[0].details.baseRootfs ?? "");
    });

    after(async function () {
        this.timeout(10 * 60_000);
        await removeStack(t);
    });

    it("exports the metrics contract: schema, provenance, every metric with unit and n, nothing lost", () => {
        expectMetricsContract(metrics, t!.name, "lxc", 2);
        expect(metrics.emulated).to.equal(false);
    });

    it("runs the benchmarks the stack selects, records them in the provenance, and names each metric by subject and quantity", () => {
        expect(metrics.provenance.suites!.map((s) => s.name)).to.deep.equal(["pipeline", "cpu", "memory", "disk", "network", "db", "security", "operations"]);
        const tps = (subject: string) => metrics.results.find((r) => r.benchmark === "db" && r.subject === subject && r.quantity === "tps");
        expect(tps("guest")!.min, "pgbench in the database guest").to.be.greaterThan(0);
        expect(tps("host")!.min, "pgbench on the bare host").to.be.greaterThan(0);
        expect(tps("ratio")!.unit).to.equal("guest/host");
        for (const r of metrics.results) expect(r.metric, r.metric).to.equal(r.subject === "system" ? r.quantity : `${r.subject}.${r.quantity}`);
    });

    it("applied the topology's CPU quota and memory limit (read back from the cgroups)", () => {
        for (const g of Object.values(guests)) {
            expect(g.details.appliedMemoryMiB, g.details.container).to.equal(g.memoryMiB);
            expect(g.details.appliedCpuQuotaUs, g.details.container).to.equal(g.vcpus * g.details.appliedCpuPeriodUs);
        }
    });

    it("applied the disk and network caps (read back from blkio and tc)", () => {
        expectCapsApplied(guests);
        expect(Object.values(guests).some((g) => g.limits.netMbps > 0 && g.limits.diskIops === 0)).to.equal(true);
    });

    it("gathers the security facts of an unprivileged container: the host's kernel, but neither its root nor its kernel log", () => {
        expect(securityFact(metrics, "shared_kernel")).to.equal(1);
        expect(securityFact(metrics, "root_is_host_root")).to.equal(0);
        expect(securityFact(metrics, "host_kernel_log_readable")).to.equal(0);
        expect(securityFact(metrics, "host_process_root")).to.equal(0);
        expect(securityFact(metrics, "host_process_sandboxed")).to.equal(undefined);
        // sshd in every guest, and the roles' servers.
        expect(securityFact(metrics, "listening_sockets")).to.be.at.least(4);
    });

    it("times the operations on its own unprivileged container, says why it cannot checkpoint where CRIU cannot run, and leaves the guest running and marked", () => {
        const ops = `vtb-${t!.name}-ops`;
        const criu = sh("criu check >/dev/null 2>&1 && echo works || echo fails").trim();
        const checkpoint = ["checkpoint", "restore", "migrate", "migrate_downtime"];
        expectOperations(
            metrics,
            2,
            ["reboot", "pause", "resume", "clone", "boot", ...(criu === "works" ? checkpoint : [])],
            criu === "works" ? {} : Object.fromEntries(checkpoint.map((op) => [op, /^criu .* cannot run on kernel/])),
        );
        expect(sh(`lxc-info -n ${ops} -s -H`).trim()).to.equal("RUNNING");
        const mark = (g: string) => /alias (\S+)/.exec(sh(`ip -o link show dev ${hostLinkName(g)}`))?.[1];
        expect(mark(ops), "the restarted container's veth carries our mark again")
            .to.be.a("string")
            .and.equal(mark(`vtb-${t!.name}-broker`));
        expect(fs.existsSync(`/var/lib/lxc/${ops}-clone`), "the clone was removed").to.equal(false);
        expect(fs.existsSync(`/var/lib/lxc/${ops}/lxc_snapshots`), "and dropped from the original's list").to.equal(false);
    });

    it("pins each guest's SSH host key: its sshd offers only the key the testbed generated, and a connection that expects another is refused", async () => {
        for (const [name, g] of Object.entries(guests)) {
            expect(g.sshHostKey, name).to.match(/^ssh-ed25519 \S+$/);
            const offered = sh(`ssh-keyscan -T 10 ${g.address} 2>/dev/null`)
                .trim()
                .split("\n")
                .map((l) => l.split(/\s+/).slice(1, 3).join(" "));
            expect(offered, name).to.deep.equal([g.sshHostKey]);
        }
        const stranger = await newHostKey("stranger");
        const error = await sshScript({ address: Object.values(guests)[0].address, privateKey: stranger.privateKey, hostKey: stranger.publicKey }, "true").then(
            () => "connected",
            (e) => String(e),
        );
        expect(error).to.contain("Host key verification failed");
    });

    it("runs unprivileged by default: root inside is a subordinate id, a block device cannot be made, tasks are bounded", () => {
        for (const [name, g] of Object.entries(guests)) {
            expect(g.details.privileged, name).to.equal(false);
            expect(sh(`lxc-attach -n ${name} -- cat /proc/self/uid_map`).trim().split(/\s+/), name).to.deep.equal(["0", "1000000", "65536"]);
            expect(sh(`lxc-attach -n ${name} -- sh -c 'mknod /tmp/vtb-blk b 8 0 2>&1 && echo made; rm -f /tmp/vtb-blk'`), name).not.to.contain("made");
            expect(g.details.appliedPidsMax, name).to.equal(4096);
        }
        // The host sees the guests' processes under the range, none as root.
        const pid = sh(`lxc-info -n ${Object.keys(guests)[0]} -p -H`).trim();
        expect(fs.readFileSync(`/proc/${pid}/status`, "utf8")).to.match(/^Uid:\s+1000000\s/m);
    });

    it("lets the dashboard read the observations as a role that cannot write them", () => {
        const carrying = (role: string) => Object.entries(guests).find(([, g]) => g.roles.includes(role))![0];
        expect(sh(`lxc-attach -n ${carrying("visualization")} -- cat /etc/vtb/viz.env`)).to.match(/^PG_URL=postgres:\/\/vtb_dashboard:/m);
        const rights = `SELECT has_table_privilege('vtb_dashboard', 'observations', 'INSERT'), has_table_privilege('vtb_dashboard', 'observations', 'SELECT')`;
        expect(sh(`lxc-attach -n ${carrying("database")} -- su postgres -c "psql -d sensing -tAc \\"${rights}\\""`).trim()).to.equal("f|t");
    });

    it("gives an LXC guest at least 75 % of the host's CPU (a sanity bound)", () => {
        const ratio = metrics.results.find((r) => r.benchmark === "cpu" && r.metric === "ratio.events_per_s")!;
        expect(ratio.mean).to.be.at.least(0.75);
    });

    it("previews no changes after the up", async function () {
        this.timeout(5 * 60_000);
        await expectNoChanges(t!);
    });

    it("shows per-station charts and the latest readings on the live dashboard (headless Chromium)", async function () {
        this.timeout(3 * 60_000);
        await withPage(async (page) => {
            await page.goto(dashboard);
            // The page adds a station box once its series arrived: wait for all of them (benchmark.stations = 4).
            const stations = 4;
            await page.waitForFunction(
                (n) => [...document.querySelectorAll<HTMLCanvasElement>(".station canvas")].filter((c) => Number(c.dataset.points) > 0).length >= n,
                stations,
                { timeout: 60_000 },
            );
            const readings = await page.$$eval(".station table tr", (rows) => rows.length);
            expect(readings).to.be.greaterThan(0);
            const charts = (await paintedPixels(page)).filter((c) => c.name.startsWith("station-"));
            expect(charts.length).to.equal(stations);
            for (const c of charts) expect(c.painted, c.name).to.be.greaterThan(100);
            await screenshot(page, "dashboard-lxc.png");
        });
    });

    it("reruns the benchmark and reports whether it reproduced within the earlier CI, naming what drifted", async function () {
        this.timeout(15 * 60_000);
        const saved = `e2e-${t!.name}`;
        try {
            expect(await run(parseArgs([t!.name, "--save", saved]))).to.match(/^saved /);
            const benchmark = (await t!.stack.exportStack()).deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::benchmark")).urn;
            await t!.stack.up({ replace: [benchmark], color: "never" });
            const rep = JSON.parse(await run(parseArgs([t!.name, "--against", saved, "--format", "json"])));
            const names = metrics.results.map((r) => `${r.benchmark}.${r.metric}`);
            expect(rep.rows.map((r: { name: string }) => r.name)).to.have.members(names);
            expect(rep.drifted).to.deep.equal(rep.rows.filter((r: { reproduced: boolean }) => !r.reproduced).map((r: { name: string }) => r.name));
            const text = await run(parseArgs([t!.name, "--against", saved]));
            expect(text).to.match(rep.drifted.length ? new RegExp(`Drifted \\(${rep.drifted.length} of ${names.length}\\)`) : /Reproduced: all/);
            console.log(text);
        } finally {
            fs.rmSync(path.join(RESULTS_DIR, `${saved}.json`), { force: true });
        }
    });

    it("recovers a guest deleted out of band: refresh drops it, the next up recreates it, sets its role up and measures again", async function () {
        this.timeout(20 * 60_000);
        const ingest = `vtb-${t!.name}-ingest`;
        const before = (await t!.stack.outputs()).metrics.value as Metrics;
        // The recovery measures the pipeline (through the recreated guest) and a micro-benchmark again; the rest ran in the first up.
        await t!.stack.setConfig("virt-testbed:benchmark.suites", { value: "pipeline,cpu" }, true);
        sh(`lxc-stop -k -n ${ingest} && rm -rf /var/lib/lxc/${ingest}`);
        const refreshed = await t!.stack.refresh({ color: "never" });
        expect(refreshed.summary.resourceChanges?.delete, JSON.stringify(refreshed.summary.resourceChanges)).to.equal(1);
        const t0 = Date.now();
        const res = await t!.stack.up({ color: "never" });
        console.log(`recovery up: ${((Date.now() - t0) / 1000).toFixed(1)} s`, JSON.stringify(res.summary.resourceChanges));
        expect(res.summary.resourceChanges).to.deep.include({ create: 1, replace: 1, update: 1 });
        expect(sh(`lxc-info -n ${ingest} -s -H`).trim()).to.equal("RUNNING");
        expect(sh(`lxc-attach -n ${ingest} -- pgrep -c -f '^node /opt/vtb/workloads/guest/ingest/worker.js' || true`).trim()).to.equal("2");
        const after = res.outputs.metrics.value as Metrics;
        expect(Date.parse(after.provenance.startedAt)).to.be.greaterThan(Date.parse(before.provenance.finishedAt));
        expectMetricsContract(after, t!.name, "lxc", 2);
    });

    it("finds the pipeline's limit with one and two ingest workers, runs the thesis's analogs, loses nothing when a worker is killed and the broker restarted, measures entitlement and isolation beside neighbour guests, and starts overcommitted minimal containers together", async function () {
        this.timeout(20 * 60_000);
        // A refused configuration fails the up and leaves the running stack as it was.
        const resources = async () => ((await t!.stack.exportStack()).deployment.resources ?? []).length;
        const before = await resources();
        await t!.stack.setConfig("virt-testbed:benchmark.saturation.stepSeconds", { value: "1" }, true);
        const refused = await t!.stack.up({ color: "never" }).then(
            () => "",
            (e) => String(e),
        );
        expect(refused).to.match(/virt-testbed:benchmark\.saturation\.stepSeconds: must be an integer from 3/);
        expect(await resources()).to.equal(before);
        await t!.stack.setConfig("virt-testbed:benchmark.saturation.stepSeconds", { value: "3" }, true);
        // Entitlement and isolation first, on a settled stack (the fault run leaves the broker restarting).
        await t!.stack.setConfig("virt-testbed:benchmark.suites", { value: "entitlement,isolation,scaling,analogs,faults,density" }, true);
        // One, then two minimal containers started together, of 16 GiB each: with the rest, more memory than this
        // host has, which lxc accepts (a limit is a ceiling) once the stack allows overcommit.
        await t!.stack.setConfig("virt-testbed:benchmark.density.guests", { value: "1,2" }, true);
        await t!.stack.setConfig("virt-testbed:benchmark.density.memoryMiB", { value: "16384" }, true);
        await t!.stack.setConfig("virt-testbed:overcommit", { value: "true" }, true);
        // The saturation search once per worker count (the kvm, xen and native runs search with the configured count).
        await t!.stack.setConfig("virt-testbed:benchmark.scaling.workers", { value: "1,2" }, true);
        // Short: every stressor once per repetition beside the uncapped neighbour, the victims that need no
        // second guest (the network path is loaded by the network stressors); the capped neighbour serves entitlement.
        await t!.stack.setConfig("virt-testbed:benchmark.isolation.seconds", { value: "1" }, true);
        await t!.stack.setConfig("virt-testbed:benchmark.isolation.modes", { value: "uncapped" }, true);
        await t!.stack.setConfig("virt-testbed:benchmark.isolation.victims", { value: "cpu,pipeline_p99" }, true);
        await t!.stack.setConfig("virt-testbed:benchmark.entitlement.seconds", { value: "1" }, true);
        const res = await timedUp(t!);
        const m = res.metrics;
        expect(m.provenance.suites!.map((s) => s.name)).to.deep.equal(["entitlement", "isolation", "scaling", "analogs", "faults", "density"]);
        const get = (b: string, q: string) => m.results.find((r) => r.benchmark === b && r.metric === q)!;
        for (const k of [1, 2]) {
            expect(get("density", `guests_${k}.ready_seconds`).samples, `${k} guest(s)`).to.have.length(2);
            expect(get("density", `guests_${k}.ready_seconds`).min, `${k} guest(s)`).to.be.greaterThan(0);
            // A minimal container (tini, sshd) takes a few MiB of its 16 GiB limit.
            expect(get("density", `guests_${k}.guest_memory_mib`).max, `${k} guest(s)`).to.be.within(0.1, 256);
            expect(m.notMeasured!.find((n) => n.benchmark === "density" && n.metric === `guests_${k}.shared_mib`)!.reason).to.match(/host's kernel/);
        }
        expect(get("density", "committed_ratio").mean, "more memory committed than the host has").to.be.greaterThan(1);
        expect(get("density", "committed_ratio").params.policy).to.match(/ceiling, not a reservation/);
        for (const g of ["dense1", "dense2"]) expect(sh(`lxc-info -n vtb-${t!.name}-${g} -s -H`).trim(), `${g} runs again`).to.equal("RUNNING");
        for (const k of [1, 2]) {
            expect(get("scaling", `workers_${k}.saturation_throughput`).samples, `${k} worker(s)`).to.have.length(2);
            expect(get("scaling", `workers_${k}.saturation_throughput`).min, `${k} worker(s)`).to.be.greaterThan(0);
            expect(get("scaling", `workers_${k}.saturation_throughput`).params.workers).to.equal(k);
        }
        expect(get("scaling", "workers_2.speedup").mean).to.be.greaterThan(0);
        const curve = m.curves!.find((c) => c.benchmark === "scaling" && c.name.endsWith("2 ingest worker(s)"))!;
        expect(
            curve.points.some((p) => p.phase === "search" && !p.pass),
            "the search found a failing rate to bisect from",
        ).to.equal(true);
        expect(curve.points.filter((p) => p.phase === "confirm" && p.pass)).to.have.length(2);
        // The ingest guest runs its configured two workers again.
        const ingest = `vtb-${t!.name}-ingest`;
        expect(sh(`lxc-attach -n ${ingest} -- pgrep -c -f '^node /opt/vtb/workloads/guest/ingest/worker.js' || true`).trim()).to.equal("2");
        for (const q of ["publish_rate", "consume_rate", "drain_rate"]) expect(get("analogs", q).min, q).to.be.greaterThan(0);
        // Each fault run: a worker SIGKILLed, the broker restarted; the database holds every observation sent.
        expect(get("faults", "stored").samples).to.deep.equal(get("faults", "sent").samples);
        expect(get("faults", "lost").samples).to.deep.equal([0, 0]);
        expect(get("faults", "reconnects").min, "the generator reconnected after the broker restart").to.be.at.least(1);
        expect(get("faults", "sent").params.faults).to.match(/worker killed .*broker restarted/);
        expectEntitlement(m, res.guests, t!.name, {
            caps: { cpuPercent: 50, diskIops: 500, diskMBps: 50, netMbps: 200 },
            enforced: ["cpu", "memory", "disk_iops", "disk_bandwidth", "net_out", "net_in"],
            uncappedCpuMin: 0.8,
        });
        // The victim alone on its core (this host has two), the neighbour and the harness on the other.
        expectIsolation(m, {
            modes: ["uncapped"],
            stressors: ["cpu", "memory", "fork", "disk", "netSend", "netReceive"],
            victims: ["cpu", "pipeline_p99"],
            repetitions: 2,
            cores: { victimCores: "1", neighbourCores: "0", harnessCores: "0" },
        });
        expectNothingLeftRunning(t!.name);
    });

    it("destroys everything and leaves the host clean, the base image intact", async function () {
        this.timeout(10 * 60_000);
        await timedDestroy(t!);
        expect(lxcLeftovers(t!)).to.deep.equal([]);
        expect(fs.existsSync(path.join(rootfs, "etc", "virt-testbed-image")), rootfs).to.equal(true);
    });
});
