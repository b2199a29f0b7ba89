// What a guest got against what it asked for. A cap its platform did not apply is reported as not
// enforced, with the platform's reason, and gets no ratio: a ratio would pass for an entitlement.

/** Above this ratio the guest got more than its cap: the cap is not enforced. */
export const OVER_CAP_TOLERANCE = 0.1;

export interface EntitlementVerdict {
    /** achieved / requested; absent when the platform did not apply the cap. */
    ratio?: number;
    enforced: boolean;
    /** Why it is not enforced. */
    reason?: string;
    /** The same load on the uncapped twin went beyond the cap, so the cap was tested; unknown without a twin. */
    beyondCap?: boolean;
}

export function entitlementVerdict(requested: number, achieved: number, applied: number | string | boolean | undefined, uncapped?: number): EntitlementVerdict {
    if (!(requested > 0)) throw new Error(`a requested entitlement must be positive, got ${requested}`);
    const beyondCap = uncapped === undefined ? undefined : uncapped > requested * (1 + OVER_CAP_TOLERANCE);
    const twin = beyondCap === undefined ? {} : { beyondCap };
    if (typeof applied !== "number") return { enforced: false, reason: String(applied ?? "the platform reported nothing applied"), ...twin };
    const ratio = achieved / requested;
    const enforced = ratio <= 1 + OVER_CAP_TOLERANCE;
    return { ratio, enforced, ...(enforced ? {} : { reason: `the guest got ${ratio.toFixed(2)} × its cap` }), ...twin };
}
