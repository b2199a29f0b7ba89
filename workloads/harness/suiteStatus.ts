// How each benchmark of a run ended, and what is kept of a run that failed: the metrics measured
// before the failure, written under results/<stack>/<run-id>/ so that a failed `up` loses nothing.
import * as fs from "fs";
import * as path from "path";

export interface SuiteStatus {
    name: string;
    /** unreached: it ran, but a figure's criterion was not met (reported as such, not as a failure). */
    status: "succeeded" | "unreached" | "failed" | "skipped";
    seconds: number;
    reason?: string;
}

/** A run's directory name: its start time, sortable and safe in a path. */
export function runId(startedAt: string): string {
    return startedAt.replace(/[:.]/g, "-");
}

/** Writes the run's metrics beside the other runs of its stack; returns the file. */
export function keepPartialRun(metrics: { stack: string; provenance: { startedAt: string } }, root: string): string {
    const dir = path.join(root, "results", metrics.stack, runId(metrics.provenance.startedAt));
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "metrics.json");
    fs.writeFileSync(file, `${JSON.stringify(metrics, null, 2)}\n`);
    return file;
}

/** One line per benchmark: name, status, seconds, why. */
export function statusTable(status: SuiteStatus[]): string {
    const width = Math.max(...status.map((s) => s.name.length));
    return status
        .map((s) => `  ${s.name.padEnd(width)}  ${s.status.padEnd(9)}  ${s.seconds.toFixed(1).padStart(7)} s${s.reason ? `  ${s.reason}` : ""}`)
        .join("\n");
}

/** The error a failed run ends with: which benchmark failed and why, the others' status, and where their metrics are. */
export function failedRunError(status: SuiteStatus[], kept: string): Error {
    const failed = status.find((s) => s.status === "failed");
    return new Error(`benchmark ${failed?.name ?? "?"} failed; what was measured before it is kept in ${kept}\n${statusTable(status)}`);
}
