// The density suite: its settings and guests, the platforms' memory scripts (run for real where
// this machine can), the order it starts and stops guests in, "cannot here" with its reason, and
// the comparison.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { ConfigError, DEFAULT_BENCHMARK, parseConfig } from "../../components/config";
import { densityGuests } from "../../components/densityGuests";
import { allGuests } from "../../components/neighbours";
import { lxcMemory } from "../../components/platforms/lxc/memory";
import { kvmMemory } from "../../components/platforms/kvm/memory";
import { xenMemory } from "../../components/platforms/xen/memory";
import { lxcOperations } from "../../components/platforms/lxc/operations";
import { densityRun } from "../../workloads/harness/benchmarks/density";
import { BOOT_ID } from "../../workloads/harness/operations/readiness";
import type { SuiteContext, Target } from "../../workloads/harness/contract";
import type { HostMemoryScripts } from "../../components/platforms/memory";
import { densitySection, densityVerdict } from "../../compare/density";
import { result, snapshot } from "../fixtures/stacks";

const sh = (script: string, env: NodeJS.ProcessEnv = process.env) => execFileSync("sh", ["-c", script], { encoding: "utf8", env }).trim();
const config = (benchmark: Record<string, unknown>) => parseConfig({ platform: "lxc", benchmark });

describe("density: settings and guests", () => {
    it("sweeps 1, 2, 4 and 8 guests of 256 MiB unless told, and refuses a bad count or size by its setting", () => {
        expect(DEFAULT_BENCHMARK.density).to.deep.equal({ guests: [1, 2, 4, 8], memoryMiB: 256 });
        expect(config({ density: { guests: "1,3" } }).benchmark.density.guests).to.deep.equal([1, 3]);
        for (const [density, setting] of [
            [{ guests: "0,2" }, "benchmark.density.guests"],
            [{ guests: [2, 2] }, "benchmark.density.guests"],
            [{ guests: 33 }, "benchmark.density.guests"],
            [{ memoryMiB: 64 }, "benchmark.density.memoryMiB"],
            [{ size: 1 }, "benchmark.density"],
        ] as const) {
            expect(() => config({ density }), JSON.stringify(density)).to.throw(ConfigError, `virt-testbed:${setting}`);
        }
    });

    it("adds as many minimal guests as the largest count, only when the suite is selected", () => {
        expect(densityGuests(config({ suites: "cpu" }))).to.deep.equal([]);
        const c = config({ suites: "density", density: { guests: "2,3", memoryMiB: 512 } });
        expect(densityGuests(c).map((g) => [g.name, g.vcpus, g.memoryMiB, g.roles.length, g.limits.cpuPercent])).to.deep.equal([
            ["dense1", 1, 512, 0, 0],
            ["dense2", 1, 512, 0, 0],
            ["dense3", 1, 512, 0, 0],
        ]);
        expect(allGuests(c).map((g) => g.name)).to.include.members(["dense1", "dense2", "dense3"]);
    });
});

describe("density: the platforms' memory scripts", () => {
    it("local platforms read /proc/meminfo in bytes, and print their commit policy", () => {
        const total = Number(sh(lxcMemory.totalBytes));
        const free = Number(sh(kvmMemory(() => "true").freeBytes));
        expect(total).to.equal(os.totalmem());
        expect(free).to.be.greaterThan(0).and.below(total);
        expect(sh(lxcMemory.commitPolicy)).to.match(/ceiling, not a reservation.*\(vm\.overcommit_memory=[012]\)$/);
    });

    it("kvm: the PSS of the guest's QEMU process; KSM read, or why not, never switched on", () => {
        const kvm = kvmMemory(() => `echo ${process.pid}`);
        expect(Number(sh(kvm.guestBytes("any")))).to.be.greaterThan(1024 * 1024);
        const share = kvm.pageSharing;
        if ("cannot" in share) throw new Error("kvm reads KSM");
        const why = sh(share.check!);
        if (why) expect(why).to.match(/KSM is off on this host|no KSM/);
        else expect(Number(sh(share.script))).to.be.at.least(0);
        expect(share.check! + share.script).not.to.match(/>\s*\/sys/);
    });

    it("xen: xl's figures in MiB, read as bytes; page sharing reported as not possible for PV domUs", () => {
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-xl-"));
        try {
            fs.writeFileSync(
                path.join(bin, "xl"),
                [
                    "#!/bin/sh",
                    'if [ "$1" = info ]; then printf "total_memory           : 3071\\nfree_memory            : 1200\\n"; exit 0; fi',
                    'printf "Name  ID   Mem VCPUs\\tState\\tTime(s)\\nvtb-x-dense1  3   256     1     -b----       1.2\\n"',
                ].join("\n"),
                { mode: 0o755 },
            );
            const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
            expect(sh(xenMemory.totalBytes, env)).to.equal(String(3071 * 1048576));
            expect(sh(xenMemory.freeBytes, env)).to.equal(String(1200 * 1048576));
            expect(sh(xenMemory.guestBytes("vtb-x-dense1"), env)).to.equal(String(256 * 1048576));
            expect(sh(xenMemory.commitPolicy, env)).to.match(/refused \(free 1200 MiB of 3071 MiB\)$/);
            expect(xenMemory.pageSharing).to.have.property("cannot").that.matches(/PV/);
        } finally {
            fs.rmSync(bin, { recursive: true, force: true });
        }
    });
});

/** A platform host that records scripts; free memory drops 10 MiB per running guest. */
function fakeHost(running: Set<string>) {
    const scripts: string[] = [];
    const MIB = 1048576;
    const host: Target & { scripts: string[] } = {
        name: "platform-host",
        scripts,
        exec: async (script) => {
            scripts.push(script);
            // lxc-start alone, or in the recover script.
            const started = /lxc-start -n (\S+) -d$/m.exec(script)?.[1];
            if (started) running.add(started);
            const stopped = /^lxc-stop -n (\S+) -k/.exec(script)?.[1];
            if (stopped) running.delete(stopped);
            if (script === "free") return String((1000 - 10 * running.size) * MIB);
            if (script === "total") return String(4000 * MIB);
            if (script.startsWith("mem ")) return String(3 * MIB);
            if (script === "policy") return "limits are ceilings";
            return "";
        },
    };
    return host;
}

function densityContext(memory: HostMemoryScripts | undefined, counts: number[], host: Target, running: Set<string>): SuiteContext {
    const guests = ["vtb-t-dense1", "vtb-t-dense2"].map((name) => ({
        name,
        address: "10.0.0.1",
        steps: lxcOperations(name, "owner"),
        memoryBytes: `mem ${name}`,
        exec: async (script: string) => {
            if (script !== BOOT_ID || !running.has(name)) throw new Error("no answer");
            return "boot";
        },
    }));
    return {
        config: { ...DEFAULT_BENCHMARK, density: { guests: counts, memoryMiB: 256 } },
        densityGuests: () => ({ guests, memory, committedMiB: 2000 }),
        platformHost: host,
        log: () => undefined,
    } as unknown as SuiteContext;
}

const MEMORY: HostMemoryScripts = {
    guestHow: "the cgroup",
    freeBytes: "free",
    totalBytes: "total",
    pageSharing: { cannot: "no pages to merge" },
    commitPolicy: "policy",
};

describe("density: the suite", function () {
    this.timeout(30_000);

    it("starts 1, then 2 guests together from stopped, reads their memory, stops them, and starts all again at the end", async () => {
        const running = new Set(["vtb-t-dense1", "vtb-t-dense2"]);
        const host = fakeHost(running);
        const b = densityRun(densityContext(MEMORY, [2, 1], host, running));
        await b.prepare!();
        const samples = await b.run();
        expect(running.size, "stopped after the run").to.equal(0);
        await b.cleanup!();
        expect([...running].sort()).to.deep.equal(["vtb-t-dense1", "vtb-t-dense2"]);
        const value = (q: string) => samples.find((s) => s.quantity === q)?.value;
        expect(samples.map((s) => s.quantity)).to.deep.equal([
            "guests_1.ready_seconds",
            "guests_1.guest_memory_mib",
            "guests_1.host_memory_per_guest_mib",
            "guests_2.ready_seconds",
            "guests_2.guest_memory_mib",
            "guests_2.host_memory_per_guest_mib",
            "committed_ratio",
        ]);
        expect(value("guests_2.guest_memory_mib")).to.equal(3);
        expect(value("guests_2.host_memory_per_guest_mib")).to.equal(10);
        expect(value("committed_ratio")).to.equal(0.5);
        expect(samples.find((s) => s.quantity === "committed_ratio")!.params!.policy).to.equal("limits are ceilings");
        const starts = host.scripts.filter((s) => s.startsWith("lxc-start"));
        expect(starts.slice(0, 3)).to.deep.equal(["lxc-start -n vtb-t-dense1 -d", "lxc-start -n vtb-t-dense1 -d", "lxc-start -n vtb-t-dense2 -d"]);
        expect(b.notMeasured!().map((n) => n.metric)).to.deep.equal(["guests_1.shared_mib", "guests_2.shared_mib"]);
        expect(b.notMeasured!()[0].reason).to.equal("no pages to merge");
    });

    it("reports every measure as not measured, with the reason, where the platform keeps no account of memory", async () => {
        const running = new Set<string>();
        const host = fakeHost(running);
        const b = densityRun(densityContext(undefined, [1], host, running));
        await b.prepare!();
        expect(await b.run()).to.deep.equal([]);
        expect(b.notMeasured!().map((n) => n.metric)).to.include.members(["guests_1.ready_seconds", "committed_ratio"]);
        expect(b.notMeasured!()[0].reason).to.match(/no account of its guests' memory/);
        expect(
            host.scripts.filter((s) => s.startsWith("lxc-")),
            "nothing started or stopped",
        ).to.deep.equal([]);
    });

    it("refuses a figure the platform's host did not print as a number", async () => {
        const running = new Set(["vtb-t-dense1", "vtb-t-dense2"]);
        const b = densityRun(densityContext({ ...MEMORY, freeBytes: "nothing" }, [1], fakeHost(running), running));
        await b.prepare!();
        let error = "";
        await b.run().catch((e) => (error = String(e)));
        expect(error).to.match(/density: expected a number from the platform's host, got ""/);
    });
});

describe("density: the comparison", () => {
    const stack = (name: string, platform: string, ready: number[], mib: number[]) => {
        const s = snapshot(name, platform, platform !== "lxc", [
            result("density", "guests_4.ready_seconds", ready, "lower", "s"),
            result("density", "guests_4.guest_memory_mib", mib, "lower", "MiB"),
            { ...result("density", "committed_ratio", [0.3, 0.3], "higher", "× host memory"), params: { policy: `${platform} policy` } },
        ]);
        s.metrics.provenance.suites = [{ name: "density", description: "" }];
        s.metrics.notMeasured = [{ benchmark: "density", metric: "guests_4.shared_mib", reason: `${platform} shares nothing` }];
        return s;
    };
    const lxc = stack("lxc", "lxc", [0.5, 0.6], [2, 2.2]);
    const kvm = stack("kvm", "kvm", [40, 44], [180, 190]);

    it("tables each count's measures per stack, with the policies and the reasons it could not measure", () => {
        const section = densitySection([lxc, kvm])!;
        const row = (what: RegExp) => section.rows.find((r) => r[0] === "4" && what.test(r[1]))!;
        expect(section.columns).to.deep.equal(["guests", "measure", "lxc", "kvm (emulated)"]);
        expect(row(/all ready/)[2]).to.match(/^0\.55 ± /);
        expect(row(/platform's account/)[3]).to.match(/^185 ± /);
        expect(row(/KSM/).slice(2)).to.deep.equal(["cannot (below)", "cannot (below)"]);
        expect(section.notes).to.include.members(["lxc: lxc policy", "kvm: kvm policy", "lxc cannot: lxc shares nothing"]);
    });

    it("says how many guests each stack held and what each took", () => {
        expect(densityVerdict([lxc, kvm])).to.equal(
            "density: lxc 4 guests all ready in 0.55 s, 2.1 MiB each; kvm (emulated) 4 guests all ready in 42 s, 185 MiB each",
        );
        expect(densityVerdict([snapshot("x", "lxc", false, [])])).to.equal(undefined);
    });
});
