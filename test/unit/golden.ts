import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

/** Compares text with test/unit/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead. */
export function expectGolden(name: string, actual: string): void {
    const file = path.join(__dirname, "golden", name);
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(file, actual);
    expect(actual).to.equal(fs.readFileSync(file, "utf8"), `golden file ${name} differs (UPDATE_GOLDEN=1 to accept)`);
}
