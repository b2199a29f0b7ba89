import * as pulumi from "@pulumi/pulumi";
import { opsProvider } from "./lib/resourceKind";
import type { Metrics, SuiteInput } from "../workloads/harness/suite";

export type BenchmarkArgs = { [K in keyof SuiteInput]: pulumi.Input<SuiteInput[K]> };

/** Runs workloads/suite.ts after the deploy and whenever its inputs change; exports its metrics. */
export class BenchmarkRun extends pulumi.dynamic.Resource {
    declare readonly metrics: pulumi.Output<Metrics>;
    declare readonly suiteSeconds: pulumi.Output<number>;

    constructor(name: string, args: BenchmarkArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            opsProvider("benchmark", { replaceOn: [] }),
            name,
            { ...args, metrics: undefined, suiteSeconds: undefined },
            { ...opts, additionalSecretOutputs: ["brokerPassword", "databasePassword", "sshPrivateKey"] },
            "virt-testbed",
            "BenchmarkRun",
        );
    }
}
