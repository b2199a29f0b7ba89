import type { BenchmarkModule } from "../contract";
import { sysbenchMemoryMiBPerSecond } from "../parse";
import { bothSides, sample } from "./overhead";

export const memoryBenchmark: BenchmarkModule<"memory"> = {
    name: "memory",
    description: "sysbench memory bandwidth (1 MiB blocks, one thread), in a guest and on the bare host",
    create: (ctx) => ({
        run: bothSides(ctx, async (t, side) => {
            const out = await t.exec(`sysbench memory --threads=1 --time=${ctx.config.microSeconds} --memory-total-size=1000T --memory-block-size=1M run`);
            return [sample(side, "bandwidth", sysbenchMemoryMiBPerSecond(out), "MiB/s", "higher", { tool: "sysbench memory", block: "1M" })];
        }),
    }),
};
