// The wire format shared by the sensor load generator, the ingest workers and the dashboard.

/** One reading of one sensor of one station, close to what real sensor platforms send. */
export interface Observation {
    station: number;
    sensor: number;
    /** Per-station sequence number; (station, seq) identifies an observation. */
    seq: number;
    /** Sensor timestamp, ms since the epoch. */
    ts: number;
    value: number;
    unit: string;
    /** Benchmark run the observation belongs to. */
    run: string;
}

/** What a worker publishes after a batch committed: the keys it stored. */
export interface StoredNotice {
    keys: Array<[number, number]>;
}

export const OBSERVATIONS_QUEUE = "observations";
export const STORED_EXCHANGE = "stored";

const SENSORS: Array<[string, string]> = [
    ["temperature", "degC"],
    ["dissolved_oxygen", "mg/L"],
    ["ph", "pH"],
    ["conductivity", "uS/cm"],
];

export function sensorUnit(sensor: number): string {
    return SENSORS[sensor % SENSORS.length][1];
}

export function isObservation(v: unknown): v is Observation {
    const o = v as Observation;
    return (
        typeof o === "object" &&
        o !== null &&
        Number.isInteger(o.station) &&
        Number.isInteger(o.sensor) &&
        Number.isInteger(o.seq) &&
        Number.isFinite(o.ts) &&
        Number.isFinite(o.value) &&
        typeof o.unit === "string" &&
        typeof o.run === "string"
    );
}
