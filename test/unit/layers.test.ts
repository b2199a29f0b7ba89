import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";

// The architecture's rules (docs/architecture.md), checked on the source: imports run down the
// layers only, and nothing above components/platforms/ names a platform.

const ROOT = path.resolve(__dirname, "..", "..");
const files = execFileSync("git", ["ls-files", "*.ts"], { cwd: ROOT, encoding: "utf8" })
    .trim()
    .split("\n")
    .filter((f) => !f.startsWith("test/") && !f.startsWith("tools/"));

/** Lower numbers are lower layers; a file may import its own layer or lower ones. */
const LAYERS: [RegExp, number][] = [
    [/^components\/lib\//, 0],
    [/^workloads\/guest\//, 1],
    [/^components\/(platforms|network|image|secrets)\//, 1],
    [/^components\/roles\//, 2],
    [/^workloads\/harness\//, 2],
    [/^components\/(config|loadConfig|preflight|hostFacts|hostPreflight|checkout|guestBundle|outputs|benchmarkRun(\.ops)?)\.ts$/, 2],
    [/^components\/(neighbours|operationsGuest|densityGuests)\.ts$/, 2],
    [/^components\/(testbed\.ts|ops\/)/, 3],
    [/^(index\.ts|compare\/|scripts\/)/, 4],
];

function layerOf(file: string): number {
    const hit = LAYERS.find(([re]) => re.test(file));
    if (!hit) throw new Error(`${file} is in no layer: add it to test/unit/layers.test.ts and docs/architecture.md`);
    return hit[1];
}

function importsOf(file: string): string[] {
    const src = fs.readFileSync(path.join(ROOT, file), "utf8");
    const specs = [...src.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
    return specs.map((s) => {
        const base = path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s));
        return [`${base}.ts`, path.join(base, "index.ts"), base].find((c) => fs.existsSync(path.join(ROOT, c))) ?? base;
    });
}

/** Code without comments, so that prose may mention a platform. */
const code = (file: string) =>
    fs
        .readFileSync(path.join(ROOT, file), "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");

describe("architecture", () => {
    it("puts every source file in a layer", () => {
        for (const f of files) expect(() => layerOf(f), f).not.to.throw();
    });

    it("imports only from the same layer or below", () => {
        const upward = files.flatMap((f) =>
            importsOf(f)
                .filter((i) => files.includes(i) && layerOf(i) > layerOf(f))
                .map((i) => `${f} → ${i}`),
        );
        expect(upward).to.deep.equal([]);
    });

    it("keeps components/lib/ free of the project's other code", () => {
        const out = files
            .filter((f) => f.startsWith("components/lib/"))
            .flatMap((f) =>
                importsOf(f)
                    .filter((i) => !i.startsWith("components/lib/"))
                    .map((i) => `${f} → ${i}`),
            );
        expect(out).to.deep.equal([]);
    });

    it("names no platform above components/platforms/", () => {
        const above = files.filter((f) => f.startsWith("components/") && !f.startsWith("components/platforms/"));
        const naming = above.filter((f) => /\b(lxc|kvm|xen|libvirt|qemu|dom0)\b/i.test(code(f)));
        expect(naming).to.deep.equal([]);
    });

    it("keeps each platform's folder to itself", () => {
        const platforms = ["lxc", "kvm", "xen"];
        const crossing = files
            .filter((f) => /^components\/platforms\/(lxc|kvm|xen)\//.test(f))
            .flatMap((f) => {
                const own = f.split("/")[2];
                return importsOf(f)
                    .filter((i) => platforms.some((p) => p !== own && i.startsWith(`components/platforms/${p}/`)))
                    .map((i) => `${f} → ${i}`);
            });
        expect(crossing).to.deep.equal([]);
    });
});

describe("the resource seam", () => {
    const seam = files.filter(
        (f) => f === "components/lib/resourceKind.ts" || f.startsWith("components/ops/") || f.endsWith(".ops.ts") || f === "components/platforms/kinds.ts",
    );

    it("is typed: no `any`, and `unknown` only in the one cast that types a kind's class", () => {
        const loose = seam.flatMap((f) =>
            code(f)
                .split("\n")
                .filter(
                    (l) =>
                        /\bany\b/.test(l.replace(/"[^"]*"|`[^`]*`/g, "")) ||
                        (/\bunknown\b/.test(l.replace(/"[^"]*"|`[^`]*`/g, "")) && !l.includes("as unknown as ResourceClass")),
                )
                .map((l) => `${f}: ${l.trim()}`),
        );
        expect(loose).to.deep.equal([]);
    });
});
