// The HTML comparison report in a real browser: every chart renders with data, offline.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { compareStacks } from "../../compare/report";
import { renderHtml } from "../../compare/render/html";
import { kvm, lxc } from "../fixtures/stacks";
import { ARTIFACTS, paintedPixels, screenshot, withPage } from "./browser";

describe("HTML report in headless Chromium", function () {
    this.timeout(120_000);

    it("draws every metric chart, the latency CDF, the saturation curves, a chart per stressor and the operations beside the thesis, with data, fetching nothing", async () => {
        const comparison = compareStacks([lxc, kvm]);
        // One chart per metric (isolation's are per stressor instead), the latency CDF, the saturation search's stored and p99 curves.
        const perMetric = comparison.metrics.filter((m) => !m.name.startsWith("isolation.")).length;
        expect(comparison.isolationCharts.map((c) => c.stressor)).to.deep.equal(["cpu", "disk"]);
        expect(comparison.operationsChart!.labels).to.deep.equal(["boot", "reboot", "clone"]);
        const charts = perMetric + 1 + 2 + comparison.isolationCharts.length + 1;
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        const file = path.join(ARTIFACTS, "report.html");
        fs.writeFileSync(file, renderHtml(comparison));
        await withPage(async (page) => {
            const requests: string[] = [];
            page.on("request", (r) => {
                if (!r.url().startsWith("file:")) requests.push(r.url());
            });
            const errors: string[] = [];
            page.on("pageerror", (e) => errors.push(e.message));
            await page.goto(`file://${file}`);
            await page.waitForFunction((n) => (window as any).chartsRendered === n, charts, { timeout: 30_000 });
            const canvases = await paintedPixels(page);
            expect(canvases).to.have.length(charts);
            for (const c of canvases) expect(c.painted, c.name).to.be.greaterThan(500);
            expect(errors).to.deep.equal([]);
            expect(requests).to.deep.equal([]);
            await screenshot(page, "report.png");
        });
    });
});
