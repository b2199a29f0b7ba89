import * as pulumi from "@pulumi/pulumi";
import { parseConfig, TestbedConfig } from "./config";

const NAMESPACE = "virt-testbed:";

/** Reads every `virt-testbed:*` key of the stack (objects arrive as JSON) and validates it. */
export function loadConfig(): TestbedConfig {
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!key.startsWith(NAMESPACE)) continue;
        let parsed: unknown = value;
        try {
            parsed = JSON.parse(value);
        } catch {
            // a plain string setting
        }
        raw[key.slice(NAMESPACE.length)] = parsed;
    }
    return parseConfig(raw);
}
