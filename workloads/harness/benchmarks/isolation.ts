// Isolation, after the Isolation Benchmark Suite (Matthews et al., 2007): the victim's
// measurements alone, then beside each stressor running in a neighbour guest of its size, uncapped
// (the thesis's setting) and under the entitlement caps. Per repetition and stressor: the victim's
// degradation in %, the stressor's own work (proof that it loaded the machine) and the share of the
// victim's measurements that completed beside it.
import type { Benchmark, BenchmarkModule, Sample, SuiteContext } from "../contract";
import { RAMP_SECONDS, startBackground } from "../background";
import { sleep } from "../../../components/lib/exec";
import { startServer } from "../oneShotServer";
import { degradationPct } from "../isolation/degradation";
import { STRESSOR_PLANS } from "../isolation/stressors";
import { Victim, victims } from "../isolation/victims";
import type { IsolationMode } from "../isolation/names";
import { pinHarness } from "../pinHarness";

type Measured = Partial<Record<string, number>>;

/** Each victim once; a measurement that fails (the victim did not survive it) is left out. */
async function measureAll(list: Victim[], seconds: number, log: (m: string) => void): Promise<Measured> {
    const out: Measured = {};
    for (const v of list) {
        try {
            out[v.name] = await v.measure(seconds);
        } catch (e) {
            log(`isolation: victim ${v.name} failed: ${String(e).slice(0, 300)}`);
        }
    }
    return out;
}

export function isolationRun(ctx: SuiteContext): Benchmark {
    const cfg = ctx.config.isolation;
    let runs = 0;
    const list = victims(ctx, () => `${ctx.stack}-isolation-${Date.now()}-${++runs}`);
    const pin = ctx.pinning;
    // Which cores ran what, in every sample's params.
    const cores: Record<string, string> =
        "none" in pin ? { pinning: `none: ${pin.none}` } : { victimCores: pin.victim, neighbourCores: pin.others, harnessCores: pin.others };
    let unpin: (() => Promise<void>) | undefined;
    // A bound for a stressor that is never stopped: every victim, slowly, and the pipeline's drain.
    const boundSeconds = 600 + list.length * cfg.seconds * 10;

    async function besideStressor(mode: IsolationMode, stressorName: (typeof cfg.stressors)[number], alone: Measured): Promise<Sample[]> {
        const neighbour = ctx.neighbour(mode)!;
        const plan = STRESSOR_PLANS[stressorName];
        const port = await ctx.freeHostPort();
        if (plan.needsServer) await ctx.host.exec(startServer(`iperf3 -s -1 -B ${ctx.hostAddress} -p ${port}`, port, boundSeconds));
        const site = { vcpus: neighbour.spec.vcpus, memoryMiB: neighbour.spec.memoryMiB, server: { address: ctx.hostAddress, port }, boundSeconds };
        const stressor = await startBackground(neighbour, "stressor", plan.command(site), boundSeconds + 30, plan.worker);
        let beside: Measured = {};
        let out = "";
        try {
            await sleep(RAMP_SECONDS * 1000);
            beside = await measureAll(list, cfg.seconds, ctx.log);
        } finally {
            out = await stressor.stop();
        }
        const params = { mode, stressor: stressorName, stressorTool: plan.tool, neighbourVcpus: neighbour.spec.vcpus, seconds: cfg.seconds, ...cores };
        const samples: Sample[] = [
            { quantity: `${mode}.${stressorName}.work`, subject: "system", value: plan.work(out), unit: plan.workUnit, better: "higher", params },
            {
                quantity: `${mode}.${stressorName}.victim_survived`,
                subject: "system",
                value: Object.keys(beside).length / list.length,
                unit: "fraction",
                better: "higher",
                params: { ...params, victims: list.map((v) => v.name).join(",") },
            },
        ];
        for (const v of list) {
            const a = alone[v.name];
            const b = beside[v.name];
            if (a === undefined || b === undefined) continue;
            samples.push({
                quantity: `${mode}.${stressorName}.${v.name}.degradation_pct`,
                subject: "system",
                value: degradationPct(a, b, v.better),
                unit: "%",
                better: "lower",
                params: { ...params, victimTool: v.tool, victimUnit: v.unit, alone: a, beside: b },
            });
        }
        return samples;
    }

    return {
        async prepare() {
            for (const mode of cfg.modes) if (!ctx.neighbour(mode)) throw new Error(`isolation: the stack has no ${mode} neighbour guest`);
            for (const v of list) await v.prepare?.();
            if (!("none" in pin)) unpin = await pinHarness(pin.others);
        },
        async run() {
            const alone = await measureAll(list, cfg.seconds, ctx.log);
            const samples: Sample[] = list.flatMap((v) =>
                alone[v.name] === undefined
                    ? []
                    : [
                          {
                              quantity: `alone.${v.name}`,
                              subject: "system" as const,
                              value: alone[v.name]!,
                              unit: v.unit,
                              better: v.better,
                              params: { tool: v.tool, seconds: cfg.seconds },
                          },
                      ],
            );
            for (const mode of cfg.modes)
                for (const s of cfg.stressors) {
                    ctx.log(`isolation: ${mode} neighbour, ${s} stressor`);
                    samples.push(...(await besideStressor(mode, s, alone)));
                }
            return samples;
        },
        async cleanup() {
            await unpin?.();
            for (const v of list) await v.cleanup?.();
        },
    };
}

export const isolationBenchmark: BenchmarkModule<"isolation"> = {
    name: "isolation",
    description:
        "the Isolation Benchmark Suite's six stressors (CPU, memory, fork bomb, disk, network send and receive) in a neighbour guest of the victim's size, uncapped and entitled; the victim's CPU, disk, network and middleware p99 degradation in %",
    create: isolationRun,
};
