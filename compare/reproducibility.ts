// Reproducibility: a stack's current metrics against an earlier run saved from it. A metric
// reproduces when its current mean lies inside the earlier run's 95 % confidence interval — or
// within 1 % of the earlier mean, since a capped or saturated figure can have a CI of almost zero
// width that no rerun hits exactly.
import * as fs from "fs";
import * as path from "path";
import { estimate, Estimate } from "./statistics";
import { StackSnapshot } from "./snapshot";
import { p99BoundOf } from "./metricsTable";
import { isUnreached } from "../workloads/harness/saturation/unreached";

/** Saved runs live here, one JSON file per name (git-ignored: they are results, not code). */
export const RESULTS_DIR = path.resolve(__dirname, "..", "results");

export interface SavedRun extends StackSnapshot {
    savedAt: string;
    stack: string;
}

export interface DriftRow {
    name: string;
    unit: string;
    earlier?: Estimate;
    current?: Estimate;
    /** Current mean inside the earlier 95 % CI; false when either side is missing. */
    inside: boolean;
    /** (current - earlier) / earlier, in %. */
    driftPct?: number;
    /** Inside the earlier CI, or within RESOLUTION_PCT of the earlier mean. */
    reproduced: boolean;
    /** Why the two runs' figures are not compared: a criterion not met, or measured to different criteria. */
    note?: string;
}

/** Drift below this (in %) counts as reproduced even outside a near-zero-width CI. */
export const RESOLUTION_PCT = 1;

export interface Reproduction {
    stack: string;
    against: string;
    savedAt: string;
    rows: DriftRow[];
    /** Metrics that did not reproduce, or are missing on one side. */
    drifted: string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function fileOf(name: string, dir: string): string {
    if (!NAME.test(name)) throw new Error(`saved run name "${name}": use letters, digits, '.', '_' or '-' (at most 64)`);
    return path.join(dir, `${name}.json`);
}

export function saveRun(s: StackSnapshot, name: string, dir = RESULTS_DIR): string {
    fs.mkdirSync(dir, { recursive: true });
    const file = fileOf(name, dir);
    const run: SavedRun = { ...s, stack: s.name, savedAt: new Date().toISOString() };
    fs.writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
    return file;
}

export function loadRun(name: string, dir = RESULTS_DIR): SavedRun {
    const file = fileOf(name, dir);
    if (!fs.existsSync(file)) {
        const known = fs.existsSync(dir)
            ? fs
                  .readdirSync(dir)
                  .filter((f) => f.endsWith(".json"))
                  .map((f) => f.slice(0, -5))
            : [];
        throw new Error(`no saved run "${name}" in ${dir} (saved: ${known.join(", ") || "none"}); save one with: npm run compare -- <stack> --save ${name}`);
    }
    return JSON.parse(fs.readFileSync(file, "utf8")) as SavedRun;
}

export function reproduce(current: StackSnapshot, earlier: SavedRun): Reproduction {
    const key = (r: { benchmark: string; metric: string }) => `${r.benchmark}.${r.metric}`;
    const names = [...new Set([...earlier.metrics.results, ...current.metrics.results].map(key))];
    const rows = names.map((name): DriftRow => {
        const e = earlier.metrics.results.find((r) => key(r) === name);
        const c = current.metrics.results.find((r) => key(r) === name);
        const ee = e && estimate(e.samples);
        const ce = c && estimate(c.samples);
        const inside = !!ee && !!ce && Math.abs(ce.mean - ee.mean) <= (Number.isNaN(ee.ci95) ? 0 : ee.ci95);
        const driftPct = ee && ce && ee.mean !== 0 ? ((ce.mean - ee.mean) / Math.abs(ee.mean)) * 100 : undefined;
        const reproduced = inside || (!!ee && !!ce && (driftPct === undefined ? ce.mean === ee.mean : Math.abs(driftPct) < RESOLUTION_PCT));
        // A figure whose criterion was not met, or that was measured to another criterion, cannot reproduce the other.
        const note =
            e && c && (isUnreached(e) || isUnreached(c))
                ? "a criterion was not met"
                : e && c && p99BoundOf(e) !== p99BoundOf(c)
                  ? `p99 bound ${p99BoundOf(e)} ms then, ${p99BoundOf(c)} ms now`
                  : undefined;
        if (note) return { name, unit: c!.unit, earlier: ee, current: ce, inside: false, driftPct, reproduced: false, note };
        return { name, unit: (c ?? e)!.unit, earlier: ee, current: ce, inside, driftPct, reproduced };
    });
    return {
        stack: current.name,
        against: earlier.savedAt ? `${earlier.stack} saved ${earlier.savedAt}` : earlier.stack,
        savedAt: earlier.savedAt,
        rows,
        drifted: rows.filter((r) => !r.reproduced).map((r) => r.name),
    };
}
