// What the entitlement and isolation suites must show on any platform: the capped neighbour got
// what it asked for (or the platform says why it could not cap), every stressor loaded the machine
// beside a surviving victim, and the report says which cores ran what.
import { expect } from "chai";
import type { Metrics } from "../../workloads/harness/suite";

export interface EntitlementExpectation {
    caps: { cpuPercent: number; diskIops: number; diskMBps: number; netMbps: number };
    /** Resources the platform caps: a ratio of at most 1.1, and the load used at least half. */
    enforced: string[];
    /** Caps the platform cannot apply: no ratio, `enforced: false` and the platform's reason. */
    notEnforced?: string[];
    /** The least CPU, in cores, the uncapped twin must get under the same load. */
    uncappedCpuMin: number;
}

export function expectEntitlement(m: Metrics, guests: Record<string, any>, stack: string, e: EntitlementExpectation): void {
    const capped = guests[`vtb-${stack}-neighbour-capped`];
    expect(capped.limits).to.deep.equal(e.caps);
    expect(capped.details.appliedCpuPercent).to.equal(e.caps.cpuPercent);
    const get = (q: string) => m.results.find((r) => r.benchmark === "entitlement" && r.metric === q);
    for (const resource of e.enforced) {
        const ratio = get(`${resource}.achieved_over_requested`)!;
        expect(ratio, resource).to.not.equal(undefined);
        // A cap the platform enforces: never more than it allows (10 % for measurement), and the load used most of it.
        expect(ratio.max, resource).to.be.at.most(1.1);
        expect(ratio.min, resource).to.be.at.least(0.5);
        expect(ratio.params.enforced, resource).to.equal(true);
        if (resource !== "memory") expect(ratio.params.beyondCap, `${resource}: the uncapped twin went beyond the cap`).to.equal(true);
    }
    for (const resource of e.notEnforced ?? []) {
        expect(get(`${resource}.achieved_over_requested`), `${resource}: no ratio for a cap not applied`).to.equal(undefined);
        const achieved = get(`${resource}.achieved`)!;
        expect(achieved.params, resource).to.include({ enforced: false });
        expect(String(achieved.params.reason), resource).to.match(/^not applied: /);
    }
    expect(get("cpu.uncapped")!.min, "the uncapped twin used more of its vCPU than the cap allows").to.be.greaterThan(e.uncappedCpuMin);
}

export interface IsolationExpectation {
    modes: string[];
    stressors: string[];
    victims: string[];
    repetitions: number;
    /** Which cores ran what, as every sample's params say. */
    cores: { victimCores: string; neighbourCores: string; harnessCores: string };
}

/** Every stressor ran (and did work) beside the victim, which survived; a degradation for each victim measurement. */
export function expectIsolation(m: Metrics, e: IsolationExpectation): void {
    const get = (q: string) => m.results.find((r) => r.benchmark === "isolation" && r.metric === q);
    for (const v of e.victims) expect(get(`alone.${v}`)?.min, v).to.be.greaterThan(0);
    for (const mode of e.modes)
        for (const s of e.stressors) {
            const at = `${mode}.${s}`;
            expect(get(`${at}.work`)?.min, `${at} did work`).to.be.greaterThan(0);
            expect(get(`${at}.victim_survived`)?.samples, `${at}: the victim survived`).to.deep.equal(new Array(e.repetitions).fill(1));
            for (const v of e.victims) expect(get(`${at}.${v}.degradation_pct`)?.samples, `${at} → ${v}`).to.have.length(e.repetitions);
            expect(get(`${at}.work`)!.params, at).to.include(e.cores);
        }
    const measured = m.results.filter((r) => r.benchmark === "isolation" && !r.metric.startsWith("alone.")).map((r) => r.metric.split(".")[0]);
    expect([...new Set(measured)].sort(), "only the selected modes").to.deep.equal([...e.modes].sort());
}

/** A compact stack on two cores: the CPU stressor beside the CPU victim, the victim's guest (apps) pinned to core 1, the neighbours to 0. */
export function expectCpuStressorBesidePinnedVictim(m: Metrics, guests: Record<string, any>, stack: string, modes: string[]): void {
    expectIsolation(m, { modes, stressors: ["cpu"], victims: ["cpu"], repetitions: 2, cores: { victimCores: "1", neighbourCores: "0", harnessCores: "0" } });
    expect(guests[`vtb-${stack}-apps`].details.appliedCpuset).to.equal("1");
    expect(guests[`vtb-${stack}-neighbour`].details.appliedCpuset).to.equal("0");
}
