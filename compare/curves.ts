// The series benchmarks traced (the saturation search's offered → stored curve), as tables.
import type { StackSnapshot } from "./snapshot";
import type { Section } from "./report";
import { num } from "./format";

export function curveSections(stacks: StackSnapshot[]): Section[] {
    return stacks.flatMap((s) =>
        (s.metrics.curves ?? []).map((c) => {
            const columns = Object.keys(c.points[0] ?? {});
            return {
                title: `${c.benchmark}: ${c.name} (${s.name}${s.metrics.emulated ? ", emulated" : ""})`,
                columns: columns.map((k) => (c.units[k] ? `${k} [${c.units[k]}]` : k)),
                rows: c.points.map((p) => columns.map((k) => (typeof p[k] === "number" ? num(p[k] as number) : String(p[k] ?? "")))),
            };
        }),
    );
}
