// A saturation criterion the pipeline could not meet is a finding, not a broken run: the figure
// says so (reached: false), with the last rate that passed, the criterion it missed and what each
// refused step showed, so that compare can print it as unreached and never rank it.
import type { Sample } from "../contract";
import type { SearchSettings } from "./search";

export interface Unreached {
    /** none: no step of the search passed; noConfirmation: the found rate never passed again. */
    stop: "none" | "noConfirmation";
    /** The highest rate that passed in the search (0 when none did). */
    lastPassRate: number;
    /** What the system stored per second at that rate. */
    lastPassKeptUp: number;
    criterion: string;
    /** Each refused step: its rate and why. */
    seen: string[];
}

/** The pass rule of a step, in words (what an unreached figure missed). */
export function criterionOf(s: Pick<SearchSettings, "p99BoundMs" | "minKeptUp">): string {
    return `p99 ≤ ${s.p99BoundMs} ms, stored ≥ ${(s.minKeptUp * 100).toFixed(0)} % of offered, no growing backlog, nothing lost`;
}

/** The sustainable-throughput figure of a search that did not meet its criterion. */
export function unreachedSample(u: Unreached, params: Record<string, string | number | boolean>): Sample {
    return {
        quantity: "saturation_throughput",
        subject: "system",
        value: u.lastPassKeptUp,
        unit: "obs/s",
        better: "higher",
        params: {
            ...params,
            reached: false,
            searchStop: u.stop,
            criterion: u.criterion,
            lastPassRate: u.lastPassRate,
            // The last refusals say most: the run's log has them all.
            seen: u.seen.slice(-6).join("; "),
        },
    };
}

/** True when a result is a figure whose criterion was not met (its value is no measured limit). */
export function isUnreached(r: { params?: Record<string, string | number | boolean> }): boolean {
    return r.params?.reached === false;
}
