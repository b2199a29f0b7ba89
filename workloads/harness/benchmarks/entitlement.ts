// Entitlement under load: the capped neighbour (entitlement caps, the victim's size) is loaded
// beyond each cap and what it gets is measured, from the host's side where the platform keeps an
// account (CPU), else from the tool's own count (disk, network, memory). Its uncapped twin takes the
// same load, which shows the load went beyond the cap.
import type { Benchmark, BenchmarkModule, Sample, SuiteContext, Target } from "../contract";
import type { NeighbourInput } from "../suite";
import { RAMP_SECONDS, startBackground } from "../background";
import { sleep } from "../../../components/lib/exec";
import { startServer } from "../oneShotServer";
import { fioJob, iperf3BitsPerSecond, stressNgOpsPerSecond } from "../parse";
import { entitlementVerdict } from "../entitlement/verdict";
import type { IsolationMode } from "../isolation/names";

const FIO_DIR = "/var/tmp/vtb-entitlement";
/** The memory probe stops at this multiple of the guest's memory: where no limit bites (native), it must still end. */
const MEMORY_PROBE_BOUND = 1.5;

type Neighbour = Target & { address: string; spec: NeighbourInput };

interface Resource {
    name: string;
    unit: string;
    tool: string;
    /** What the capped neighbour asks for, in the unit; 0 = no cap, not measured. */
    requested(spec: NeighbourInput): number;
    /** Its read-back key in the guest's details. */
    applied: string;
    /** The memory size is the same on the twin: nothing to compare. */
    twin: boolean;
    measure(n: Neighbour, mode: IsolationMode, seconds: number): Promise<number | undefined>;
}

function resources(ctx: SuiteContext): Resource[] {
    const fio = (n: Neighbour, args: string) =>
        n.exec(
            `mkdir -p ${FIO_DIR}; fio --name=layout --filename=${FIO_DIR}/f --size=64M --bs=1M --rw=write --direct=1 >/dev/null; fio --name=e --filename=${FIO_DIR}/f --size=64M --ioengine=libaio --direct=1 --time_based --output-format=json ${args}; rm -rf ${FIO_DIR}`,
        );
    const iperf = async (n: Neighbour, seconds: number, reverse: boolean) => {
        const port = await ctx.freeHostPort();
        await ctx.host.exec(startServer(`iperf3 -s -1 -B ${ctx.hostAddress} -p ${port}`, port, seconds));
        return iperf3BitsPerSecond(await n.exec(`iperf3 -c ${ctx.hostAddress} -p ${port} -t ${seconds} -J${reverse ? " -R" : ""}`)) / 1e6;
    };
    return [
        {
            name: "cpu",
            unit: "cores",
            tool: "stress-ng --cpu, one worker per vCPU; CPU time from the host's account of the guest",
            requested: (s) => (s.limits.cpuPercent > 0 ? s.limits.cpuPercent / 100 : 0),
            applied: "appliedCpuPercent",
            twin: true,
            async measure(n, mode, seconds) {
                if (!(await ctx.neighbourCpu(mode))) return undefined;
                const load = await startBackground(
                    n,
                    "entitlement-cpu",
                    `stress-ng --cpu ${n.spec.vcpus} --timeout ${seconds + 600}s --metrics-brief`,
                    seconds + 630,
                    "stress-ng-cpu",
                );
                let cores = NaN;
                let out = "";
                try {
                    await sleep(RAMP_SECONDS * 1000);
                    const a = (await ctx.neighbourCpu(mode))!;
                    await sleep(seconds * 1000);
                    const b = (await ctx.neighbourCpu(mode))!;
                    cores = (b.cpuSeconds - a.cpuSeconds) / (b.wallSeconds - a.wallSeconds);
                } finally {
                    out = await load.stop();
                }
                // The load's own count proves it ran; without it the figure is not what the guest could get.
                const ops = stressNgOpsPerSecond(out, "cpu");
                ctx.log(`entitlement: cpu in ${n.spec.name}: ${cores.toFixed(3)} cores, stress-ng ${ops} bogo ops/s`);
                return cores;
            },
        },
        {
            name: "memory",
            unit: "MiB",
            tool: `16 MiB buffers written until the limit bites (the guest's OOM killer or the cgroup's), at most ${MEMORY_PROBE_BOUND} × the guest's memory`,
            requested: (s) => s.memoryMiB,
            applied: "appliedMemoryMiB",
            twin: false,
            async measure(n) {
                const bound = Math.floor(n.spec.memoryMiB * MEMORY_PROBE_BOUND);
                const script = `const fs=require("fs"),held=[];for(let m=16;m<=${bound};m+=16){held.push(Buffer.alloc(16<<20,1));fs.writeSync(1,m+"\\n")}`;
                // The probe, not sshd, is what the guest's OOM killer picks.
                const out = await n.exec(`(echo 1000 >/proc/self/oom_score_adj; exec node -e '${script}') || true`);
                return Number(out.trim().split("\n").pop() || 0);
            },
        },
        {
            name: "disk_iops",
            unit: "IOPS",
            tool: "fio 4k random read, libaio, depth 16, direct",
            requested: (s) => s.limits.diskIops,
            applied: "appliedDiskReadIops",
            twin: true,
            measure: async (n, _m, seconds) => fioJob(await fio(n, `--runtime=${seconds} --bs=4k --rw=randread --iodepth=16`)).read.iops,
        },
        {
            name: "disk_bandwidth",
            unit: "MB/s",
            tool: "fio 1M sequential read, libaio, depth 4, direct",
            requested: (s) => s.limits.diskMBps,
            applied: "appliedDiskReadMBps",
            twin: true,
            measure: async (n, _m, seconds) => (fioJob(await fio(n, `--runtime=${seconds} --bs=1M --rw=read --iodepth=4`)).read.bw * 1024) / 1e6,
        },
        {
            name: "net_out",
            unit: "Mbit/s",
            tool: "iperf3 TCP from the guest to the host's bridge address",
            requested: (s) => s.limits.netMbps,
            applied: "appliedNetOutMbps",
            twin: true,
            measure: (n, _m, seconds) => iperf(n, seconds, false),
        },
        {
            name: "net_in",
            unit: "Mbit/s",
            tool: "iperf3 -R TCP from the host's bridge address into the guest",
            requested: (s) => s.limits.netMbps,
            applied: "appliedNetInMbps",
            twin: true,
            measure: (n, _m, seconds) => iperf(n, seconds, true),
        },
    ];
}

export function entitlementRun(ctx: SuiteContext): Benchmark {
    const seconds = ctx.config.entitlement.seconds;
    return {
        async prepare() {
            if (!ctx.neighbour("entitled")) throw new Error("entitlement: the stack has no capped neighbour guest");
        },
        async run() {
            const capped = ctx.neighbour("entitled")!;
            const twin = ctx.neighbour("uncapped");
            const samples: Sample[] = [];
            for (const r of resources(ctx)) {
                const requested = r.requested(capped.spec);
                if (requested === 0) continue;
                ctx.log(`entitlement: ${r.name}`);
                const achieved = await r.measure(capped, "entitled", seconds);
                if (achieved === undefined) {
                    ctx.log(`entitlement: ${r.name}: the platform keeps no account of a guest's ${r.name} on its host; not measured`);
                    continue;
                }
                const uncapped = r.twin && twin ? await r.measure(twin, "uncapped", seconds) : undefined;
                const applied = capped.spec.applied[r.applied];
                const v = entitlementVerdict(requested, achieved, applied, uncapped);
                const params = {
                    tool: r.tool,
                    requested,
                    applied: String(applied),
                    enforced: v.enforced,
                    ...(v.reason ? { reason: v.reason } : {}),
                    ...(v.beyondCap === undefined ? {} : { beyondCap: v.beyondCap }),
                    seconds,
                };
                const s = (quantity: string, value: number, unit: string): Sample => ({ quantity, subject: "system", value, unit, better: "higher", params });
                samples.push(s(`${r.name}.achieved`, achieved, r.unit));
                if (uncapped !== undefined) samples.push(s(`${r.name}.uncapped`, uncapped, r.unit));
                if (v.ratio !== undefined) samples.push(s(`${r.name}.achieved_over_requested`, v.ratio, "achieved/requested"));
            }
            return samples;
        },
    };
}

export const entitlementBenchmark: BenchmarkModule<"entitlement"> = {
    name: "entitlement",
    description:
        "the capped neighbour loaded beyond each cap (CPU from the host's account, memory until the limit bites, fio at depth, iperf3 both ways) against what it requested, beside its uncapped twin",
    create: entitlementRun,
};
