import { Section } from "../report";

/** Sections as aligned plain-text tables. */
export function renderText(sections: Section[]): string {
    return (
        sections
            .map((s) => {
                const lines = [`== ${s.title}`];
                if (s.rows.length) {
                    const all = [s.columns, ...s.rows];
                    const widths = s.columns.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
                    lines.push(
                        ...all.map((r) =>
                            r
                                .map((c, i) => c.padEnd(widths[i]))
                                .join("  ")
                                .trimEnd(),
                        ),
                    );
                }
                return [...lines, ...(s.notes ?? [])].join("\n");
            })
            .join("\n\n") + "\n"
    );
}
