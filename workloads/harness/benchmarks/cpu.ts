import type { BenchmarkModule } from "../contract";
import { sysbenchCpuEventsPerSecond } from "../parse";
import { bothSides, sample } from "./overhead";

export const cpuBenchmark: BenchmarkModule<"cpu"> = {
    name: "cpu",
    description: "sysbench cpu, one thread, in a guest and on the bare host",
    create: (ctx) => ({
        run: bothSides(ctx, async (t, side) => {
            const out = await t.exec(`sysbench cpu --threads=1 --time=${ctx.config.microSeconds} run`);
            return [sample(side, "events_per_s", sysbenchCpuEventsPerSecond(out), "events/s", "higher", { tool: "sysbench cpu", threads: 1 })];
        }),
    }),
};
