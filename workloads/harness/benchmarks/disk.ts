import type { BenchmarkModule } from "../contract";
import { fioJob } from "../parse";
import { bothSides, measuredGuest, sample, Side } from "./overhead";

const GUEST_FIO_DIR = "/var/tmp/vtb-fio";

export const diskBenchmark: BenchmarkModule<"disk"> = {
    name: "disk",
    description: "fio 4k random and 1M sequential reads and writes (psync, direct), in a guest and on the bare host",
    create(ctx) {
        const dir: Record<Side, string> = { guest: GUEST_FIO_DIR, host: ctx.hostScratch };
        const fio = (side: Side, job: string) =>
            `d='${dir[side]}'; mkdir -p "$d"; fio --name=${job} --directory="$d" --size=128M --runtime=${ctx.config.microSeconds} --time_based ` +
            `--ioengine=psync --direct=1 --output-format=json ${job.startsWith("rand") ? "--bs=4k" : "--bs=1M"} --rw=${job}`;
        return {
            run: bothSides(ctx, async (t, side) => {
                const params = { tool: "fio", ioengine: "psync", direct: 1, size: "128M" };
                const rr = fioJob(await t.exec(fio(side, "randread")));
                const rw = fioJob(await t.exec(fio(side, "randwrite")));
                const sr = fioJob(await t.exec(fio(side, "read")));
                const sw = fioJob(await t.exec(fio(side, "write")));
                return [
                    sample(side, "randread_iops", rr.read.iops, "IOPS", "higher", { ...params, bs: "4k" }),
                    sample(side, "randwrite_iops", rw.write.iops, "IOPS", "higher", { ...params, bs: "4k" }),
                    sample(side, "seqread_bandwidth", sr.read.bw / 1024, "MiB/s", "higher", { ...params, bs: "1M" }),
                    sample(side, "seqwrite_bandwidth", sw.write.bw / 1024, "MiB/s", "higher", { ...params, bs: "1M" }),
                ];
            }),
            cleanup: async () => {
                await measuredGuest(ctx).exec(`rm -rf ${GUEST_FIO_DIR}`);
                await ctx.host.exec(`rm -rf '${ctx.hostScratch}'`);
            },
        };
    },
};
