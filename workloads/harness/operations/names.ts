// The operations the suite can take (`benchmark.operations.steps`), light enough for config
// validation. pause comes with resume, checkpoint with restore, clone with the cold boot after it; migrate is timed with the downtime it causes.
export const OPERATION_STEPS = ["reboot", "pause", "clone", "boot", "checkpoint", "migrate"] as const;
export type OperationStep = (typeof OPERATION_STEPS)[number];
