// The operations the suite can take (`benchmark.operations.steps`), light enough for config
// validation. pause comes with resume, checkpoint with restore, clone with the cold boot after it.
export const OPERATION_STEPS = ["reboot", "pause", "clone", "boot", "checkpoint"] as const;
export type OperationStep = (typeof OPERATION_STEPS)[number];
