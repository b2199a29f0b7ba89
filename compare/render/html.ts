// The HTML report: one self-contained file (Chart.js and its error-bar plugin inlined, data
// embedded, no network fetches). Bar charts with 95 % CI error bars per metric, grouped by
// benchmark; the pipeline latency distribution (CDF through the measured quantiles) per stack;
// the config diff, the verdicts and each stack's provenance.
import * as fs from "fs";
import * as path from "path";
import { Comparison, comparisonSections, Section } from "../report";
import { flatten } from "../stackDiff";

/** Browser (UMD) builds, next to each package's main file: [package, file]. */
const LIBS: [string, string][] = [
    ["chart.js", "chart.umd.js"],
    ["chartjs-chart-error-bars", "index.umd.min.js"],
];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** Inlined code and JSON must not close their <script> element early. */
const inline = (s: string) => s.replace(/<\/script/gi, "<\\/script").replace(/<!--/g, "<\\!--");

function table(s: Section): string {
    const head = s.columns.length ? `<tr>${s.columns.map((c) => `<th>${esc(c)}</th>`).join("")}</tr>` : "";
    const rows = s.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("\n");
    const notes = (s.notes ?? []).map((n) => `<p class="note">${esc(n)}</p>`).join("\n");
    return `<section><h2>${esc(s.title)}</h2>${s.rows.length ? `<table>${head}\n${rows}</table>` : ""}${notes}</section>`;
}

/** What the charts draw, computed here so the page only plots. */
export function chartData(c: Comparison) {
    const stacks = c.stacks.map((s) => s.name);
    const groups: Record<string, { metric: string; unit: string; bars: { stack: string; y: number; yMin: number; yMax: number }[] }[]> = {};
    for (const m of c.metrics) {
        const [group] = m.name.split(".");
        // Isolation has a chart per stressor instead (below).
        if (group === "isolation") continue;
        const bars = m.cells.flatMap((cell, i) =>
            cell
                ? [
                      {
                          stack: stacks[i],
                          y: cell.mean,
                          yMin: cell.mean - (Number.isNaN(cell.ci95) ? 0 : cell.ci95),
                          yMax: cell.mean + (Number.isNaN(cell.ci95) ? 0 : cell.ci95),
                      },
                  ]
                : [],
        );
        (groups[group] ??= []).push({ metric: m.name, unit: m.unit, bars });
    }
    const quantile = (name: string, i: number) => c.metrics.find((m) => m.name === name)?.cells[i]?.mean;
    const cdf = stacks.map((stack, i) => ({
        stack,
        points: (
            [
                [50, "pipeline.latency_p50"],
                [95, "pipeline.latency_p95"],
                [99, "pipeline.latency_p99"],
            ] as const
        ).flatMap(([p, name]) => {
            const x = quantile(name, i);
            return x === undefined ? [] : [{ x, y: p / 100 }];
        }),
    }));
    const saturation = c.curveData
        .filter((d) => d.curve.benchmark === "saturation")
        .map(({ stack, curve }) => {
            const pts = [...curve.points].sort((a, b) => Number(a.offered) - Number(b.offered));
            return {
                stack,
                stored: pts.map((p) => ({ x: Number(p.offered), y: Number(p.keptUp) })),
                p99: pts.filter((p) => Number.isFinite(Number(p.p99))).map((p) => ({ x: Number(p.offered), y: Number(p.p99) })),
            };
        });
    // Per stressor: a bar group per victim, one bar per stack, and the thesis's figures beside them.
    const isolation = c.isolationCharts.map(({ stressor, bars, thesis }) => {
        const victims = [...new Set(bars.map((b) => b.victim))];
        const labels = [...victims, ...(thesis.length ? ["thesis (2013)"] : [])];
        const at = (series: string) => labels.map((l) => bars.find((b) => b.series === series && b.victim === l) ?? { y: 0, yMin: 0, yMax: 0 });
        const series = [...new Set(bars.map((b) => b.series))];
        return {
            stressor,
            labels,
            datasets: [
                ...series.map((s) => ({ label: s, stack: s, data: at(s).map(({ y, yMin, yMax }) => ({ y, yMin, yMax })) })),
                ...thesis.map((t) => ({
                    label: t.series,
                    stack: "",
                    data: labels.map((l) => (l === "thesis (2013)" ? { y: t.y, yMin: t.y, yMax: t.y } : { y: 0, yMin: 0, yMax: 0 })),
                })),
            ],
        };
    });
    return { stacks, groups, cdf, saturation, isolation, operations: c.operationsChart };
}

const PAGE_SCRIPT = `
const data = JSON.parse(document.getElementById("chart-data").textContent);
const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
const colour = (stack) => palette[data.stacks.indexOf(stack) % palette.length];
window.chartsRendered = 0;
for (const [group, metrics] of Object.entries(data.groups)) {
  const box = document.getElementById("group-" + group);
  for (const m of metrics) {
    const fig = document.createElement("figure");
    const canvas = document.createElement("canvas");
    canvas.dataset.metric = m.metric;
    fig.appendChild(canvas);
    box.appendChild(fig);
    new Chart(canvas, {
      type: "barWithErrorBars",
      data: { labels: m.bars.map((b) => b.stack), datasets: [{ label: m.unit, data: m.bars.map(({ y, yMin, yMax }) => ({ y, yMin, yMax })), backgroundColor: m.bars.map((b) => colour(b.stack)) }] },
      options: { animation: false, responsive: false, plugins: { title: { display: true, text: m.metric + " [" + m.unit + "]" }, legend: { display: false } } },
    });
    window.chartsRendered++;
  }
}
new Chart(document.getElementById("latency-cdf"), {
  type: "scatter",
  data: { datasets: data.cdf.map((s) => ({ label: s.stack, data: s.points, showLine: true, borderColor: colour(s.stack), backgroundColor: colour(s.stack) })) },
  options: { animation: false, responsive: false, scales: { x: { type: "logarithmic", title: { display: true, text: "end-to-end latency [ms]" } }, y: { min: 0, max: 1, title: { display: true, text: "fraction of observations" } } } },
});
window.chartsRendered++;
const thesisColour = { "thesis LXC": "#bbbbbb", "thesis KVM": "#888888", "thesis Xen": "#444444" };
for (const chart of data.isolation) {
  new Chart(document.getElementById("isolation-" + chart.stressor), {
    type: "barWithErrorBars",
    data: { labels: chart.labels, datasets: chart.datasets.map((d) => ({ label: d.label, data: d.data, backgroundColor: d.stack ? colour(d.stack) : thesisColour[d.label] })) },
    options: { animation: false, responsive: false, plugins: { title: { display: true, text: chart.stressor + " stressor (uncapped neighbour): victim degradation [%]" } } },
  });
  window.chartsRendered++;
}
if (data.operations) {
  new Chart(document.getElementById("operations-thesis"), {
    type: "barWithErrorBars",
    data: { labels: data.operations.labels, datasets: data.operations.datasets.map((d) => ({ label: d.label, data: d.data, backgroundColor: d.stack ? colour(d.stack) : thesisColour[d.label] })) },
    options: { animation: false, responsive: false, scales: { y: { type: "logarithmic", title: { display: true, text: "seconds (log)" } } }, plugins: { title: { display: true, text: "operations: ours beside the thesis's (2013 hardware)" } } },
  });
  window.chartsRendered++;
}
for (const [id, key, label] of [["saturation-stored", "stored", "stored [obs/s]"], ["saturation-p99", "p99", "p99 latency [ms]"]]) {
  if (!data.saturation.length) break;
  new Chart(document.getElementById(id), {
    type: "scatter",
    data: { datasets: data.saturation.map((s) => ({ label: s.stack, data: s[key], showLine: true, borderColor: colour(s.stack), backgroundColor: colour(s.stack) })) },
    options: { animation: false, responsive: false, scales: { x: { title: { display: true, text: "offered [obs/s]" } }, y: { type: key === "p99" ? "logarithmic" : "linear", title: { display: true, text: label } } } },
  });
  window.chartsRendered++;
}
`;

export function renderHtml(c: Comparison): string {
    const data = chartData(c);
    const libs = LIBS.map(([pkg, file]) => `<script>${inline(fs.readFileSync(path.join(path.dirname(require.resolve(pkg)), file), "utf8"))}</script>`).join(
        "\n",
    );
    const [diff, metrics, verdicts] = comparisonSections(c);
    const provenance = c.stacks
        .map((s) =>
            table({
                title: `Provenance: ${s.name}`,
                columns: ["key", "value"],
                rows: Object.entries(flatten({ platform: s.platform, emulated: s.emulated, ...s.provenance }, "")),
            }),
        )
        .join("\n");
    const emulated = c.stacks.filter((s) => s.emulated).map((s) => s.name);
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>virt-testbed: ${esc(data.stacks.join(" vs "))}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: .5em 0; } td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }
figure { display: inline-block; margin: 4px; } .note { color: #555; } .warn { background: #fff3cd; padding: .5em; }
</style></head><body>
<h1>virt-testbed comparison: ${esc(data.stacks.join(", "))}</h1>
<p>Generated ${esc(c.generatedAt)}. Error bars: 95 % confidence interval of the mean (Student t).</p>
${emulated.length ? `<p class="warn">Emulated (no hardware acceleration): ${esc(emulated.join(", "))}. Their figures compare behaviour and relative costs on this machine, not hardware.</p>` : ""}
${table({ title: "Verdicts", columns: [], rows: [], notes: verdicts.notes })}
<section><h2>Metrics by group</h2>
${Object.keys(data.groups)
    .map((g) => `<h3>${esc(g)}</h3><div id="group-${esc(g)}"></div>`)
    .join("\n")}
</section>
<section><h2>Pipeline latency distribution</h2><p class="note">CDF through the measured quantiles (p50, p95, p99; means over repetitions).</p>
<canvas id="latency-cdf" width="640" height="320"></canvas></section>
${
    data.saturation.length
        ? `<section><h2>Saturation: offered load against what was stored, and p99 latency</h2><p class="note">Every step of the search, the confirmations and the 50 % / 90 % runs; a step passes when stored ≥ 98 % of offered, the backlog stays flat, p99 stays within its bound and nothing is lost.</p>
<canvas id="saturation-stored" width="640" height="320"></canvas><canvas id="saturation-p99" width="640" height="320"></canvas></section>`
        : ""
}
${
    data.isolation.length
        ? `<section><h2>Isolation: the victim beside each stressor</h2><p class="note">Degradation in % (positive = worse) of each victim measurement beside the stressor, in the uncapped neighbour; the thesis's published slowdown (2013 hardware) in grey.</p>
${data.isolation.map((i) => `<canvas id="isolation-${esc(i.stressor)}" width="640" height="320"></canvas>`).join("\n")}</section>`
        : ""
}
${c.entitlement ? table(c.entitlement) : ""}
${c.isolation ? table(c.isolation) : ""}
${c.security ? table(c.security) : ""}
${
    data.operations
        ? `<section><h2>Operations beside the thesis</h2><p class="note">Mean with 95 % CI per stack, the thesis's published times (2013 hardware) in grey; log scale.</p><canvas id="operations-thesis" width="640" height="320"></canvas></section>`
        : ""
}
${c.operations ? table(c.operations) : ""}
${c.scaling ? table(c.scaling) : ""}
${c.density ? table(c.density) : ""}
${table(c.thesis)}
${table(diff)}
${table(metrics)}
${provenance}
<script type="application/json" id="chart-data">${inline(JSON.stringify(data))}</script>
${libs}
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
