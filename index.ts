// The Pulumi program: validate the stack's config (nothing is provisioned on an error), build the
// testbed, export the metrics contract (DESIGN.md section 7).
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, TestbedConfig } from "./components/config";
import { loadConfig } from "./components/loadConfig";
import { Testbed } from "./components/testbed";

function validConfig(): TestbedConfig {
    try {
        return loadConfig();
    } catch (e) {
        // A RunError prints the message alone: the user needs the setting and the fix, not a trace.
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
}

export = async () => {
    const config = validConfig();
    const testbed = new Testbed("testbed", { config, stack: pulumi.getStack() });
    return {
        platform: config.platform,
        host: testbed.host,
        metrics: testbed.metrics,
        guests: testbed.guests,
        endpoints: { dashboard: testbed.dashboardUrl, broker: testbed.brokerUrl },
        timings: testbed.timings,
    };
};
