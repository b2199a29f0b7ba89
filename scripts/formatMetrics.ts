import type { Metrics } from "../workloads/harness/suite";
import { isUnreached } from "../workloads/harness/saturation/unreached";
import { statusTable } from "../workloads/harness/suiteStatus";

function fmt(v: number): string {
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    return a >= 1000 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(3);
}

/** A plain-text table of a metrics object: one row per metric, mean ± stddev with unit and n; then how each benchmark ended. */
export function formatMetrics(m: Metrics): string {
    const head = `${m.stack} (${m.platform}${m.emulated ? ", EMULATED" : ""}) — ${m.schema}, git ${m.provenance.gitCommit.slice(0, 10)}`;
    const rows = m.results.map((r) => [
        `${r.benchmark}.${r.metric}`,
        `${fmt(r.mean)} ± ${fmt(r.stddev)}`,
        r.unit,
        `n=${r.n}`,
        `[${fmt(r.min)}, ${fmt(r.max)}]`,
        isUnreached(r) ? `UNREACHED (${r.params.searchStop}; last pass ${r.params.lastPassRate} obs/s; criterion ${r.params.criterion})` : "",
    ]);
    const widths = rows.reduce((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), [] as number[]);
    const table = [
        head,
        ...rows.map((r) =>
            r
                .map((c, i) => c.padEnd(widths[i]))
                .join("  ")
                .trimEnd(),
        ),
    ];
    if (m.suiteStatus?.length) table.push("", "benchmarks:", statusTable(m.suiteStatus));
    return table.join("\n");
}
