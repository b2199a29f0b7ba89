// The operations suite: the platforms' steps (the clone's config rewriting run for real on the
// generated configs), the order the suite takes them in, "cannot do here" reported with its
// reason instead of a number, the refusal to reboot a guest that is the host, and the comparison.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { lxcOperations, CRIU_CHECK } from "../../components/platforms/lxc/operations";
import { kvmOperations } from "../../components/platforms/kvm/operations";
import { MIGRATION_PEER } from "../../components/platforms/kvm/libvirtd";
import { hostLinkName } from "../../components/platforms/common/link";
import { xenOperations } from "../../components/platforms/xen/operations";
import type { GuestOperations } from "../../components/platforms/operations";
import { operationsRun } from "../../workloads/harness/benchmarks/operations";
import { BOOT_ID, rebootScript, secondsUntilAnswers } from "../../workloads/harness/operations/readiness";
import { continuousProbe, largestGapSeconds } from "../../workloads/harness/operations/downtime";
import type { SuiteContext, Target } from "../../workloads/harness/contract";
import { operationsSection, operationsVerdict } from "../../compare/operations";
import { result, snapshot } from "../fixtures/stacks";
import { DEFAULT_BENCHMARK, parseConfig } from "../../components/config";

const GOLDEN = path.join(__dirname, "golden");
const OWNER = "virt-testbed:test:1234";

/** A host that records every script and answers from `answer`. */
function recordingHost(answer: (script: string) => string = () => ""): Target & { scripts: string[] } {
    const scripts: string[] = [];
    return {
        name: "platform-host",
        scripts,
        exec: async (script) => {
            scripts.push(script);
            return answer(script);
        },
    };
}

/** A guest whose boot id changes once a reboot was asked for. */
function fakeGuest(steps: GuestOperations | undefined): Target & { address: string; name: string; steps?: GuestOperations; reboots: number } {
    const guest = {
        name: "vtb-t-ops",
        // Loopback: the migration's downtime probe connects to it (nothing listens on its port, the kernel refuses at once).
        address: "127.0.0.1",
        steps,
        reboots: 0,
        exec: async (script: string) => {
            if (script.includes("reboot(")) guest.reboots++;
            return script === BOOT_ID ? `boot-${guest.reboots}` : "";
        },
    };
    return guest;
}

function context(guest: ReturnType<typeof fakeGuest>, platformHost: Target, hostBootId = "the-host", steps = DEFAULT_BENCHMARK.operations.steps): SuiteContext {
    return {
        config: { ...DEFAULT_BENCHMARK, operations: { steps } },
        operationsGuest: () => guest,
        platformHost,
        host: { name: "host", exec: async (s: string) => (s === BOOT_ID ? hostBootId : "") },
        log: () => undefined,
    } as unknown as SuiteContext;
}

describe("operations: the platforms' steps", () => {
    it("lxc: liblxc's tools; a clone is removed only when it carries our mark", () => {
        const ops = lxcOperations("vtb-t-ops", OWNER);
        expect(ops.pause).to.equal("lxc-freeze -n vtb-t-ops");
        expect(ops.resume).to.equal("lxc-unfreeze -n vtb-t-ops");
        expect("make" in ops.clone && ops.clone.make).to.contain("lxc-copy -n vtb-t-ops -N vtb-t-ops-clone -s -B overlay");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-ops-"));
        try {
            // The discard script, run for real against a directory standing in for /var/lib/lxc.
            const discard = ("discard" in ops.clone ? ops.clone.discard : "").replaceAll("/var/lib/lxc", dir);
            fs.mkdirSync(path.join(dir, "vtb-t-ops-clone"));
            fs.writeFileSync(path.join(dir, "vtb-t-ops-clone", "owner"), "someone-else\n");
            execFileSync("sh", ["-c", discard]);
            expect(fs.existsSync(path.join(dir, "vtb-t-ops-clone")), "another's clone is kept").to.equal(true);
            fs.writeFileSync(path.join(dir, "vtb-t-ops-clone", "owner"), `${OWNER}\n`);
            execFileSync("sh", ["-c", discard]);
            expect(fs.existsSync(path.join(dir, "vtb-t-ops-clone")), "ours is removed").to.equal(false);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("lxc: checkpoints only where CRIU runs; its check prints why not", () => {
        const ops = lxcOperations("vtb-t-ops", OWNER);
        expect("check" in ops.checkpoint && ops.checkpoint.check).to.equal(CRIU_CHECK);
        // Run for real with a criu that fails as Debian 12's does on kernels from 6.13 on.
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-criu-"));
        try {
            fs.writeFileSync(
                path.join(bin, "criu"),
                '#!/bin/sh\n[ "$1" = --version ] && { echo "Version: 3.17.1"; exit 0; }\necho "Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds" >&2; exit 1\n',
                { mode: 0o755 },
            );
            const out = execFileSync("sh", ["-c", CRIU_CHECK], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8" }).trim();
            expect(out).to.match(/^criu 3\.17\.1 cannot run on kernel \S+: vdso: Unexpected rt vDSO area bounds$/);
            fs.writeFileSync(path.join(bin, "criu"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
            expect(execFileSync("sh", ["-c", CRIU_CHECK], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8" }).trim()).to.equal(
                "",
            );
        } finally {
            fs.rmSync(bin, { recursive: true, force: true });
        }
    });

    it("kvm: virsh save/restore; the clone's domain gets a new name and disk, no UUID, MAC or tap name", () => {
        const ops = kvmOperations("vtb-kvm-core", OWNER);
        expect("save" in ops.checkpoint && ops.checkpoint.save).to.match(
            /virsh -q -c \S+ save vtb-kvm-core \/var\/lib\/virt-testbed\/guests\/vtb-kvm-core\/checkpoint\.save/,
        );
        const make = "make" in ops.clone ? ops.clone.make : "";
        // The rewriting part of the script, run on the generated domain XML.
        const rewrite = make.slice(make.indexOf("| sed") + 2, make.indexOf(" > /var/lib/virt-testbed/guests/vtb-kvm-core-clone/domain.xml"));
        const xml = execFileSync("sh", ["-c", `${rewrite} < ${path.join(GOLDEN, "domain-tcg-virtio.xml")}`], { encoding: "utf8" });
        expect(xml).to.contain("<name>vtb-kvm-core-clone</name>");
        expect(xml).to.contain("/var/lib/virt-testbed/guests/vtb-kvm-core-clone/disk.qcow2");
        expect(xml).not.to.match(/<uuid>|<mac address=/);
        expect(xml).not.to.match(/guests\/vtb-kvm-core\/(disk.qcow2|console.log)/);
    });

    it("xen: xl save/restore in dom0; the clone's config names its own snapshot device and no vif name", () => {
        const ops = xenOperations("vtb-xen-core");
        expect(ops.pause).to.equal("xl pause vtb-xen-core");
        const make = "make" in ops.clone ? ops.clone.make : "";
        const sed = make.split("\n").find((l) => l.startsWith("sed "))!;
        const cfg = execFileSync("sh", ["-c", sed.replace(/ \/var\/lib\S+domu\.cfg > .*$/, ` ${path.join(GOLDEN, "xen-pv.cfg")}`)], {
            encoding: "utf8",
        });
        expect(cfg).to.contain('name = "vtb-xen-core-clone"');
        expect(cfg).to.contain("phy:/dev/mapper/vtb-xen-core-clone,xvda,w");
        expect(cfg).not.to.contain("vifname");
        expect(cfg).to.contain('vif = [ "mac=02:aa:bb:cc:dd:ee,bridge=xenbr0" ]');
    });

    it("asks for a reboot from inside the guest, after the SSH command returned", () => {
        expect(rebootScript(0.5)).to.match(/^setsid -f sh -c "sleep 0\.5; python3 -c .*reboot\(0x01234567\)/);
    });
});

describe("operations: the suite", () => {
    it("takes the steps in order, times each, and removes the clone it made", async () => {
        const steps = lxcOperations("vtb-t-ops", OWNER);
        const host = recordingHost();
        const guest = fakeGuest(steps);
        const run = operationsRun(context(guest, host));
        await run.prepare!();
        const samples = await run.run();
        await run.cleanup!();
        expect(samples.map((s) => s.quantity)).to.deep.equal([
            "ops.reboot_seconds",
            "ops.pause_seconds",
            "ops.resume_seconds",
            "ops.clone_seconds",
            "ops.boot_seconds",
            "ops.checkpoint_seconds",
            "ops.restore_seconds",
            "ops.migrate_seconds",
            "ops.migrate_downtime_seconds",
        ]);
        expect(samples.every((s) => s.unit === "s" && s.value >= 0 && s.params?.guest === "vtb-t-ops")).to.equal(true);
        // The guest (loopback) never stopped answering: the largest gap is about one probe interval.
        expect(samples.find((s) => s.quantity === "ops.migrate_downtime_seconds")!.value).to.be.below(0.5);
        expect(guest.reboots).to.equal(1);
        const at = (script: string) => host.scripts.indexOf(script);
        const c = steps.clone as { make: string; discard: string };
        const last = (script: string) => host.scripts.lastIndexOf(script);
        expect(at(c.discard), "a leftover clone of ours is removed first").to.be.lessThan(at(steps.stop));
        expect(at(steps.stop)).to.be.lessThan(at(c.make));
        expect(at(c.make)).to.be.lessThan(last(c.discard));
        expect(last(c.discard)).to.be.lessThan(at(steps.start));
        expect(host.scripts[host.scripts.length - 1]).to.equal(steps.recover);
        expect(run.notMeasured!()).to.deep.equal([]);
    });

    it("takes only the operations benchmark.operations.steps selects", async () => {
        const steps = xenOperations("vtb-x-ops");
        const host = recordingHost();
        const guest = fakeGuest(steps);
        const run = operationsRun(context(guest, host, "the-host", ["pause", "checkpoint"]));
        await run.prepare!();
        const samples = await run.run();
        expect(samples.map((s) => s.quantity)).to.deep.equal(["ops.pause_seconds", "ops.resume_seconds", "ops.checkpoint_seconds", "ops.restore_seconds"]);
        expect(guest.reboots).to.equal(0);
        expect(host.scripts).not.to.include(steps.stop);
    });

    it("refuses an unknown operation in the config, naming the setting", () => {
        expect(() => parseConfig({ platform: "lxc", benchmark: { operations: { steps: "pause,teleport" } } })).to.throw(
            /virt-testbed:benchmark\.operations\.steps: has an unknown name "teleport".*known: reboot, pause, clone, boot, checkpoint, migrate/,
        );
    });

    it("reports a step the host cannot take with its reason, never as a number", async () => {
        const steps = lxcOperations("vtb-t-ops", OWNER);
        const why = "criu 3.17.1 cannot run on kernel 6.18: vdso: Unexpected rt vDSO area bounds";
        const host = recordingHost((s) => (s === CRIU_CHECK ? `${why}\n` : ""));
        const run = operationsRun(context(fakeGuest(steps), host));
        await run.prepare!();
        const samples = await run.run();
        expect(samples.map((s) => s.quantity)).not.to.include.members(["ops.checkpoint_seconds", "ops.restore_seconds"]);
        expect(host.scripts.some((s) => s.includes("lxc-checkpoint"))).to.equal(false);
        const reasons = Object.fromEntries(run.notMeasured!().map((n) => [n.metric, n.reason]));
        expect(reasons["ops.checkpoint_seconds"]).to.equal(why);
        expect(reasons["ops.restore_seconds"]).to.equal(why);
        expect(reasons["ops.migrate_seconds"]).to.equal(why);
        expect(reasons["ops.migrate_downtime_seconds"]).to.equal(why);
    });

    it("operates nothing on a platform without operations, and says why", async () => {
        const host = recordingHost();
        const guest = fakeGuest(undefined);
        const run = operationsRun(context(guest, host));
        await run.prepare!();
        expect(await run.run()).to.deep.equal([]);
        expect(guest.reboots).to.equal(0);
        expect(run.notMeasured!()).to.have.length(9);
    });

    it("refuses to reboot a guest that shares the host's boot id (it would reboot the host)", async () => {
        const guest = fakeGuest(lxcOperations("vtb-t-ops", OWNER));
        const run = operationsRun(context(guest, recordingHost(), "boot-0"));
        await run.prepare!();
        let error = "";
        await run.run().catch((e) => (error = String(e)));
        expect(error).to.contain("shares the host's boot id");
        expect(guest.reboots).to.equal(0);
    });

    it("gives up on a guest that never comes back, saying what it last saw", async () => {
        const silent: Target = { name: "g", exec: async () => "same-id" };
        let error = "";
        await secondsUntilAnswers(silent, Date.now(), 0.5, (id) => id !== "same-id").catch((e) => (error = String(e)));
        expect(error).to.contain("g did not answer within 0.5 s").and.to.contain("still boot id same-id");
    });
});

describe("operations: the comparison", () => {
    const ops = (name: string, platform: string, samples: Record<string, number[]>, notMeasured: { metric: string; reason: string }[] = []) => {
        const s = snapshot(
            name,
            platform,
            platform !== "lxc",
            Object.entries(samples).map(([op, v]) => result("operations", `ops.${op}_seconds`, v, "lower", "s")),
        );
        s.metrics.provenance.suites = [{ name: "operations", description: "" }];
        s.metrics.notMeasured = notMeasured.map((n) => ({ benchmark: "operations", ...n }));
        return s;
    };
    const lxc = ops("lxc", "lxc", { reboot: [1.1, 1.3], boot: [0.9, 1.0] }, [{ metric: "ops.checkpoint_seconds", reason: "criu cannot run" }]);
    const kvm = ops("kvm", "kvm", { reboot: [20, 22], boot: [21, 23], checkpoint: [3, 4] });

    it("tables each operation per stack beside the thesis, with the reason where a platform cannot", () => {
        const section = operationsSection([lxc, kvm])!;
        const row = (op: string) => section.rows.find((r) => r[0] === op)!;
        expect(section.columns).to.deep.equal(["operation", "thesis KVM", "thesis Xen", "thesis LXC", "lxc", "kvm (emulated)"]);
        expect(row("reboot").slice(1, 4)).to.deep.equal(["38", "11", "10"]);
        expect(row("reboot")[4]).to.match(/^1\.2 ± \S+ \(n=2\)$/);
        expect(row("checkpoint")[4]).to.equal("cannot: criu cannot run");
        expect(row("checkpoint")[5]).to.match(/^3\.5 ± /);
        expect(row("pause")[4]).to.equal("not measured");
    });

    it("names the fastest stack per operation and what a stack cannot do", () => {
        expect(operationsVerdict([lxc, kvm])).to.equal(
            "operations: reboot fastest on lxc (1.2 s); boot fastest on lxc (0.95 s); lxc cannot checkpoint (reasons in the table)",
        );
        expect(operationsVerdict([snapshot("x", "lxc", false, [])])).to.equal(undefined);
    });
});

describe("operations: live migration", () => {
    it("xen: xl migrate to a receiver in the same dom0, with a config that lets xl name the new vif; refused when memory for two copies is short", () => {
        const ops = xenOperations("vtb-xen-ops");
        if (!("move" in ops.migrate)) throw new Error("xen migrates");
        expect(ops.migrate.move).to.contain("xl migrate -s '' -C /var/lib/vtb/guests/vtb-xen-ops/migrate.cfg vtb-xen-ops 'xl migrate-receive'");
        // The config it sends, made for real from the golden one, with the domain's UUID as xl list -v prints it.
        const lines = ops.migrate.move.split("\n");
        const uuid = "uuid=7f1c2e4a-0000-4000-8000-0123456789ab";
        const make = lines
            .find((l) => l.startsWith("{ sed "))!
            .replace(/ \/var\/lib\S+domu\.cfg;/, ` ${path.join(GOLDEN, "xen-pv.cfg")};`)
            .replace(/ > \S+$/, "");
        expect(lines.find((l) => l.startsWith("uuid=$(xl list -v vtb-xen-ops"))).to.contain("{print $7}");
        const cfg = execFileSync("sh", ["-c", `${uuid}; ${make}`], { encoding: "utf8" });
        expect(cfg).not.to.contain("vifname");
        expect(cfg).to.contain('vif = [ "mac=02:aa:bb:cc:dd:ee,bridge=xenbr0" ]');
        expect(cfg.trim().split("\n").pop()).to.equal('uuid = "7f1c2e4a-0000-4000-8000-0123456789ab"');
        // The memory check, run for real against an xl that reports the domain and the host's free memory.
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-xl-"));
        try {
            const xl = (free: number) =>
                fs.writeFileSync(
                    path.join(bin, "xl"),
                    `#!/bin/sh\n[ "$1" = info ] && { echo "free_memory            : ${free}"; exit 0; }\nprintf "Name ID Mem\\nvtb-xen-ops 3 256\\n"\n`,
                    { mode: 0o755 },
                );
            const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
            xl(300);
            expect(execFileSync("sh", ["-c", ops.migrate.check!], { env, encoding: "utf8" })).to.equal("");
            xl(200);
            expect(execFileSync("sh", ["-c", ops.migrate.check!], { env, encoding: "utf8" }).trim()).to.equal(
                "a migration within one host holds the domain's memory twice: it needs 256 MiB more, the nested host has 200 MiB free",
            );
        } finally {
            fs.rmSync(bin, { recursive: true, force: true });
        }
        expect(ops.recover).to.contain("xl destroy vtb-xen-ops--incoming");
    });

    it("lxc: CRIU's stop-and-copy where CRIU runs", () => {
        const lxc = lxcOperations("vtb-t-ops", OWNER).migrate;
        expect("check" in lxc && lxc.check).to.equal(CRIU_CHECK);
        expect("move" in lxc && lxc.move).to.match(/lxc-checkpoint -n vtb-t-ops -s -D .*\nlxc-checkpoint -n vtb-t-ops -r -D /);
    });

    describe("kvm: virsh migrate --live to a peer libvirtd and back (the peer script run against a fake virsh)", () => {
        const ops = kvmOperations("vtb-kvm-ops", OWNER);
        if (!("move" in ops.migrate)) throw new Error("kvm migrates");
        const { ready, move, back } = ops.migrate as { ready: string; move: string; back: string };
        const tap = hostLinkName("vtb-kvm-ops");
        let work: string;
        let env: NodeJS.ProcessEnv;
        const log = () => fs.readFileSync(path.join(work, "calls"), "utf8");
        const sent = () => fs.readFileSync(path.join(work, "sent.xml"), "utf8");
        /** A virsh that logs its calls, answers from files in `work`, and keeps the XML a migration sends. */
        function fakeVirsh(answers: { xml: string; state?: string; desc?: string }): void {
            fs.writeFileSync(path.join(work, "domain.xml"), answers.xml);
            fs.writeFileSync(
                path.join(work, "virsh"),
                [
                    "#!/bin/bash",
                    `echo "$*" >> ${work}/calls`,
                    "while [ $# -gt 0 ]; do case $1 in -q) shift ;; -c) shift 2 ;; *) break ;; esac; done",
                    "case $1 in",
                    "  uri) echo ok ;;",
                    `  dumpxml) cat ${work}/domain.xml ;;`,
                    `  domstate) echo ${answers.state ?? "running"} ;;`,
                    `  desc) echo '${answers.desc ?? OWNER}' ;;`,
                    `  migrate) while [ "$1" != --xml ]; do shift; done; cp "$2" ${work}/sent.xml ;;`,
                    "esac",
                ].join("\n"),
                { mode: 0o755 },
            );
        }
        beforeEach(() => {
            work = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-peer-"));
            env = { ...process.env, PATH: `${work}:${process.env.PATH}`, VTB_PEER_DIR: work };
            fs.mkdirSync(path.join(work, "vtb-kvm-ops"));
        });
        afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

        it("starts the peer untimed, moves the domain without the tap name its sender holds", () => {
            expect(ready).to.match(/migration-peer\.sh'? start vtb-kvm-ops$/);
            fakeVirsh({ xml: "<domain>\n<source bridge='vtb-kvm'/>\n<target dev='" + tap + "'/>\n</domain>\n" });
            execFileSync("sh", ["-c", move], { env });
            expect(sent()).not.to.contain(tap);
            expect(log()).to.match(
                /^-q -c qemu:\/\/\/system migrate --live --unsafe --xml \S+ --migrateuri tcp:\/\/127\.0\.0\.1 --listen-address 127\.0\.0\.1 vtb-kvm-ops qemu\+unix:\/\/\/system\?socket=\S+\/vtb-kvm-ops\/run\/libvirt-sock$/m,
            );
        });

        it("brings it back on its own tap and stops the peer; evicts only a domain that carries our mark", () => {
            fakeVirsh({ xml: "<domain>\n<source bridge='vtb-kvm'/>\n</domain>\n" });
            execFileSync("sh", ["-c", back], { env });
            expect(sent()).to.contain(`<source bridge='vtb-kvm'/><target dev='${tap}'/>`);
            expect(log()).to.match(/^-q -c qemu\+unix:\S+ migrate .* vtb-kvm-ops qemu:\/\/\/system$/m);
            expect(fs.existsSync(path.join(work, "vtb-kvm-ops")), "the peer's directory is removed").to.equal(false);
            for (const [desc, destroyed] of [
                ["virt-testbed:another:1", false],
                [OWNER, true],
            ] as const) {
                fs.mkdirSync(path.join(work, "vtb-kvm-ops"));
                fs.rmSync(path.join(work, "calls"), { force: true });
                fakeVirsh({ xml: "", desc });
                execFileSync("bash", [MIGRATION_PEER, "evict", "vtb-kvm-ops", OWNER], { env });
                expect(/ destroy vtb-kvm-ops$/m.test(log()), desc).to.equal(destroyed);
            }
            // Recovery brings a domain back from the peer, or else evicts it there.
            expect(ops.recover.split("\n")[0]).to.equal(`${back} || ${back.replace(/ back vtb-kvm-ops .*$/, ` evict vtb-kvm-ops ${OWNER}`)}`);
        });

        it("refuses a domain name it could not put in a path", () => {
            expect(() => execFileSync("bash", [MIGRATION_PEER, "start", "../x"], { env, stdio: "pipe" })).to.throw(/bad domain name/);
        });
    });

    it("tells the downtime from the largest gap between answers, and refuses a guest that never answered twice", () => {
        expect(largestGapSeconds([1000, 1020, 1040, 1900, 1920])).to.equal(0.86);
        expect(() => largestGapSeconds([1000])).to.throw(/answered 1 of the host's probes/);
    });

    it("probes on a fixed clock, counting a refused connection as an answer (loopback only)", async () => {
        const probe = continuousProbe("127.0.0.1");
        await new Promise((r) => setTimeout(r, 300));
        const answered = await probe.stop();
        expect(answered.length).to.be.within(8, 16);
        expect(largestGapSeconds(answered)).to.be.below(0.1);
    });
});
