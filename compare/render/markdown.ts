import { Section } from "../report";

const cell = (c: string) => c.replace(/\|/g, "\\|");

/** Sections as Markdown tables. */
export function renderMarkdown(sections: Section[]): string {
    return (
        sections
            .map((s) => {
                const lines = [`## ${s.title}`, ""];
                if (s.rows.length) {
                    lines.push(`| ${s.columns.map(cell).join(" | ")} |`, `|${s.columns.map(() => "---").join("|")}|`);
                    lines.push(...s.rows.map((r) => `| ${r.map(cell).join(" | ")} |`), "");
                }
                return [...lines, ...(s.notes ?? []).map((n) => `- ${n}`)].join("\n");
            })
            .join("\n\n") + "\n"
    );
}
