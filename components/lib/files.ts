import * as fs from "fs";
import * as path from "path";

/** Writes a file below a root directory (a guest's file system seen from the host), creating its directories. */
export function writeFileUnder(root: string, rel: string, content: string, mode = 0o644): void {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode });
}
