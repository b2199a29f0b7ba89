// The contract of one benchmark (after PerfKit Benchmarker's Prepare / Run / Cleanup): a run
// returns samples; the suite does repetitions and statistics.

export interface Sample {
    metric: string;
    value: number;
    unit: string;
    better: "higher" | "lower";
    params?: Record<string, string | number | boolean>;
}

/** Somewhere a shell script can run: the bare host or a guest. */
export interface Target {
    name: string;
    exec(script: string, timeoutSeconds?: number): Promise<string>;
}

export interface Benchmark {
    name: string;
    prepare?(): Promise<void>;
    run(): Promise<Sample[]>;
    cleanup?(): Promise<void>;
}

export interface MetricResult {
    benchmark: string;
    metric: string;
    unit: string;
    better: "higher" | "lower";
    n: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    samples: number[];
    params: Record<string, string | number | boolean>;
}
