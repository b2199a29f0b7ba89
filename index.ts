// The Pulumi program: validate the stack's config and check it against this host (nothing is
// provisioned on an error), build the testbed, export the metrics contract (README, "Outputs").
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, TestbedConfig } from "./components/config";
import { loadConfig } from "./components/loadConfig";
import { Testbed } from "./components/testbed";
import { checkoutId } from "./components/checkout";
import { ownerMark } from "./components/lib/ownership";
import { hostCapacity } from "./components/hostFacts";
import { preflight } from "./components/hostPreflight";

export = async () => {
    const stack = pulumi.getStack();
    const owner = ownerMark({ checkout: checkoutId(), stack });
    let config: TestbedConfig;
    let overcommitted: string[];
    try {
        config = loadConfig();
        overcommitted = preflight(config, stack, owner, process.cwd());
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        // Said once in full, without a trace (a thrown error's message is printed twice). The program
        // must still fail rather than return: a program that ends normally with nothing registered
        // tells the engine to delete every resource of a stack that was up.
        pulumi.log.error(e.message);
        throw new pulumi.RunError("the configuration was refused (above): nothing was created, changed or deleted");
    }
    const testbed = new Testbed("testbed", { config, stack, owner, cores: hostCapacity().cores });
    return {
        platform: config.platform,
        host: testbed.host,
        capacity: { overcommit: config.overcommit, overcommitted },
        metrics: testbed.metrics,
        guests: testbed.guests,
        endpoints: { dashboard: testbed.dashboardUrl, broker: testbed.brokerUrl },
        timings: testbed.timings,
    };
};
