// Headless Chromium (Debian's package) driven by playwright-core, for the report and dashboard checks.
import * as fs from "fs";
import * as path from "path";
import { chromium, Page } from "playwright-core";

export const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-artifacts");
const CHROMIUM = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => fs.existsSync(p));

export async function withPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    if (!CHROMIUM) throw new Error("chromium is not installed: run make setup (apt-get install chromium)");
    // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
    try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
        return await fn(page);
    } finally {
        await browser.close();
    }
}

/** For every canvas on the page: its id or data-metric, and how many pixels were painted. */
export function paintedPixels(page: Page): Promise<{ name: string; painted: number }[]> {
    return page.evaluate(() =>
        [...document.querySelectorAll("canvas")].map((c) => {
            const ctx = c.getContext("2d")!;
            const { data } = ctx.getImageData(0, 0, c.width, c.height);
            let painted = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
            return { name: c.id || c.dataset.metric || c.closest("[id]")?.id || "?", painted };
        }),
    );
}

export async function screenshot(page: Page, name: string): Promise<string> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, name);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
    return file;
}
