// End to end on the real machine: a temporary native stack (the bare-host baseline: each role in a
// chroot of the base image with a network namespace of its own) goes up through the same
// components, reports the same metrics, and its destroy leaves no process, mount, namespace or link.
import { expect } from "chai";
import * as fs from "fs";
import { hostLinkName } from "../../components/platforms/common/link";
import type { Metrics } from "../../workloads/harness/suite";
import { commonLeftovers, expectMetricsContract, expectSaturation, removeStack, sh, tempStack, TempStack, timedDestroy, timedUp } from "./stackRun";

const GUESTS = ["broker", "database", "ingest", "visualization"];
const NATIVE_PATH = "/var/lib/vtb-native";

function nativeLeftovers(t: TempStack): string[] {
    const found = commonLeftovers(t);
    for (const g of GUESTS) {
        const name = `vtb-${t.name}-${g}`;
        if (fs.existsSync(`${NATIVE_PATH}/${name}`)) found.push(`directory ${NATIVE_PATH}/${name}`);
        if (fs.existsSync(`/run/netns/${name}`)) found.push(`network namespace ${name}`);
        if (sh(`ip -br link show dev ${hostLinkName(name)} 2>/dev/null || true`).trim()) found.push(`veth of ${name}`);
    }
    const rooted = fs
        .readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
            try {
                return fs.readlinkSync(`/proc/${p}/root`).startsWith(`${NATIVE_PATH}/vtb-${t.name}-`);
            } catch {
                return false;
            }
        });
    if (rooted.length) found.push(`processes in its chroots: ${rooted.join(" ")}`);
    return found;
}

describe("native stack (bare-host baseline) end to end", function () {
    let t: TempStack | undefined;
    let metrics: Metrics;
    let guests: Record<string, any>;

    before(async function () {
        this.timeout(30 * 60_000);
        // A bound the host keeps up with: the search runs and confirms without reaching the CPU limit,
        // where the harness's generator competes with the unlimited services (bisection is the lxc test's).
        t = await tempStack("nat", "10.231.249.0/24", {
            platform: "native",
            // (memory and disk run on lxc, against the same bare host)
            "benchmark.suites": "pipeline,saturation,cpu,network",
            "benchmark.saturation.maxRate": "4000",
        });
        ({ metrics, guests } = await timedUp(t));
    });

    after(async function () {
        this.timeout(10 * 60_000);
        await removeStack(t);
    });

    it("exports the same metrics contract as the platforms, not emulated, and runs the saturation search", () => {
        expectMetricsContract(metrics, t!.name, "native", 2);
        expect(metrics.emulated).to.equal(false);
        expectSaturation(metrics, 2);
    });

    it("runs each role in a chroot of the base image with its own network namespace, and says no limit was applied", () => {
        for (const g of Object.values(guests)) {
            expect(g.details.chroot).to.match(new RegExp(`^${NATIVE_PATH}/vtb-${t!.name}-`));
            expect(fs.existsSync(`/run/netns/${g.details.netns}`)).to.equal(true);
            expect(g.details.appliedDiskReadIops).to.match(/^not applied/);
        }
        // Its services listen in their namespaces: nothing of ours listens on the host's interfaces.
        const hostListeners = [...sh("ss -Hltnp || true").matchAll(/pid=(\d+)/g)].map((m) => m[1]);
        const ours = hostListeners.filter((pid) => {
            try {
                return fs.readlinkSync(`/proc/${pid}/root`).startsWith(`${NATIVE_PATH}/vtb-${t!.name}-`);
            } catch {
                return false;
            }
        });
        expect(ours, "processes of the chroots listening in the host's network namespace").to.deep.equal([]);
    });

    it("destroys everything: no process, mount, namespace, link or directory left", async function () {
        this.timeout(10 * 60_000);
        await timedDestroy(t!);
        expect(nativeLeftovers(t!)).to.deep.equal([]);
    });
});
