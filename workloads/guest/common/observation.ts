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

/** What a worker publishes after a batch committed: the keys it stored and what it saw on the way. */
export interface StoredNotice {
    keys: Array<[number, number]>;
    /** Messages of the batch the broker flagged as redelivered (a consumer died or a channel closed before the ack). */
    redelivered: number;
    /** Observations of the batch that were already stored (the insert found their key). */
    duplicates: number;
    /** Messages of the batch sent to the dead-letter queue (not an observation, or refused by the database). */
    deadLettered: number;
}

/** One message of a batch as the worker saw it: the broker's redelivered flag, and what became of it. */
export interface BatchEntry {
    redelivered: boolean;
    /** The observation's key, or undefined when the message was not an observation. */
    key?: [station: number, seq: number];
    /** The database refused the row (it went to the dead-letter queue). */
    refused: boolean;
}

/** The notice for a committed batch in which `inserted` rows were new: every stored key, whether new or already there. */
export function storedNotice(batch: BatchEntry[], inserted: number): StoredNotice {
    const stored = batch.filter((e) => e.key && !e.refused);
    return {
        keys: stored.map((e) => e.key!),
        redelivered: batch.filter((e) => e.redelivered).length,
        duplicates: stored.length - inserted,
        deadLettered: batch.length - stored.length,
    };
}

export const OBSERVATIONS_QUEUE = "observations";
/** Where a worker puts what it cannot store, so that one bad message never stops the pipeline. */
export const DEAD_LETTER_QUEUE = "observations.dead";
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
