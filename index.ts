// The Pulumi program: validate the stack's config (nothing is provisioned on an error), build the
// testbed, export the metrics contract (DESIGN.md section 7).
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./components/loadConfig";
import { Testbed } from "./components/testbed";

export = async () => {
    const config = loadConfig();
    const testbed = new Testbed("testbed", { config, stack: pulumi.getStack() });
    return {
        platform: config.platform,
        metrics: testbed.metrics,
        guests: testbed.guests,
        endpoints: { dashboard: testbed.dashboardUrl, broker: testbed.brokerUrl },
        timings: testbed.timings,
    };
};
