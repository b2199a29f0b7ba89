// mocha's spec reporter plus one closing line, "N passed, N failed", that CI reads.
import * as Mocha from "mocha";

class SummaryReporter extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once("end", () => {
            const stats = runner.stats ?? this.stats;
            process.stdout.write(`\n${stats.passes} passed, ${stats.failures} failed\n`);
        });
    }
}

export = SummaryReporter;
