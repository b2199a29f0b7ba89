// The saturation search, pure: which rate to offer next, given the verdicts so far. A ramp grows the
// rate until a step fails, then bisection between the last pass and the first fail narrows the
// bracket to `precision` of the failing rate; the last passing rate is the sustainable throughput.
import type { StepResult } from "../sensors/loadStep";

export interface SearchSettings {
    startRate: number;
    maxRate: number;
    /** Ramp factor between steps until the first failure. */
    growth: number;
    /** Relative width of the final bracket (0.05: the found rate is within 5 % of the limit). */
    precision: number;
    p99BoundMs: number;
    /** Share of the offered rate the system must keep up with (0.98). */
    minKeptUp: number;
    /** Below this rate the search gives up: the pipeline sustains nothing. */
    minRate: number;
}

export interface StepVerdict {
    pass: boolean;
    /** Why a step failed, in words; empty for a pass. */
    reasons: string[];
    /** The generator could not keep its schedule: the step says nothing about the system. */
    generatorBound: boolean;
}

/** The pass rule of one step: kept up, no growing backlog, p99 within bound, nothing lost or left behind. */
export function judgeStep(step: StepResult, s: Pick<SearchSettings, "p99BoundMs" | "minKeptUp">): StepVerdict {
    const reasons: string[] = [];
    if (!step.valid) reasons.push(step.invalidReason ?? "invalid run");
    if (step.keptUpRate < s.minKeptUp * step.offeredRate)
        reasons.push(`stored ${step.keptUpRate.toFixed(0)}/s < ${(s.minKeptUp * 100).toFixed(0)} % of offered ${step.offeredRate}/s`);
    if (step.backlogGrowing) reasons.push("backlog grew");
    if (!(step.latencyMs.p99 <= s.p99BoundMs)) reasons.push(`p99 ${step.latencyMs.p99.toFixed(0)} ms > ${s.p99BoundMs} ms`);
    if (step.lost > 0) reasons.push(`${step.lost} lost`);
    if (step.purged > 0) reasons.push(`${step.purged} left queued after the drain`);
    return { pass: reasons.length === 0, reasons, generatorBound: !step.valid };
}

export interface SearchOutcome {
    /** The highest rate that passed (0 when none did). */
    rate: number;
    /** Why the search stopped: bracketed, reached maxRate, generator-bound, nothing sustained. */
    stop: "bracketed" | "maxRate" | "generator" | "none";
}

export class SaturationSearch {
    private lastPass = 0;
    private firstFail = Infinity;
    private current: number;
    private outcome: SearchOutcome | undefined;

    constructor(private readonly s: SearchSettings) {
        if (!(s.startRate > 0 && s.maxRate >= s.startRate && s.growth > 1 && s.precision > 0 && s.precision < 1)) throw new Error("bad search settings");
        this.current = s.startRate;
    }

    /** The next rate to offer, or undefined when the search is over (see result()). */
    next(): number | undefined {
        return this.outcome ? undefined : this.current;
    }

    record(rate: number, v: StepVerdict): void {
        if (this.outcome) throw new Error("the search is over");
        if (v.pass) this.lastPass = Math.max(this.lastPass, rate);
        else this.firstFail = Math.min(this.firstFail, rate);
        if (!v.pass && v.generatorBound) return this.finish("generator");
        if (this.firstFail === Infinity) {
            if (rate >= this.s.maxRate) return this.finish("maxRate");
            this.current = Math.min(this.s.maxRate, Math.round(rate * this.s.growth));
            return;
        }
        if (this.firstFail <= this.s.minRate) return this.finish(this.lastPass > 0 ? "bracketed" : "none");
        if ((this.firstFail - this.lastPass) / this.firstFail <= this.s.precision) return this.finish(this.lastPass > 0 ? "bracketed" : "none");
        this.current = Math.round((this.lastPass + this.firstFail) / 2);
    }

    result(): SearchOutcome {
        if (!this.outcome) throw new Error("the search is not over");
        return this.outcome;
    }

    private finish(stop: SearchOutcome["stop"]): void {
        this.outcome = { rate: this.lastPass, stop };
    }
}
