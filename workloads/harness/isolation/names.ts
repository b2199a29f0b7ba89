// The names the isolation and entitlement settings accept, light enough for config validation.

/** The Isolation Benchmark Suite's six stressors (Matthews et al., 2007), run in a neighbour guest. */
export const STRESSORS = ["cpu", "memory", "fork", "disk", "netSend", "netReceive"] as const;
export type StressorName = (typeof STRESSORS)[number];

/** uncapped: the neighbour as the thesis ran it; entitled: the neighbour under the entitlement caps. */
export const ISOLATION_MODES = ["uncapped", "entitled"] as const;
export type IsolationMode = (typeof ISOLATION_MODES)[number];

/** The victim's measurements, each taken alone and beside every stressor. */
export const VICTIMS = ["cpu", "disk", "net_throughput", "net_rtt", "pipeline_p99"] as const;
export type VictimName = (typeof VICTIMS)[number];
