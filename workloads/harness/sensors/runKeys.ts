// The keys of one load run: observation i of a run ↔ (station, seq). Stations take turns, each
// counting its own sequence from a base that grows across runs, as a real station's counter does;
// the database counts a run by this range and the generator claims only its own notices.

/** The keys of a run: station s, sequence numbers seqBase .. seqBase + perStation - 1. */
export interface KeyRange {
    stations: number;
    seqBase: number;
    perStation: number;
}

/** A new run's range for `total` observations over `stations` stations. */
export function newKeyRange(stations: number, total: number): KeyRange {
    return { stations, seqBase: Date.now() * 1000, perStation: Math.ceil(total / stations) };
}

export function keyOf(i: number, k: KeyRange): [station: number, seq: number] {
    return [i % k.stations, k.seqBase + Math.floor(i / k.stations)];
}

/** The index of a key in the run, or -1 when the key is not the run's. */
export function indexOf(station: number, seq: number, k: KeyRange): number {
    const n = (seq - k.seqBase) * k.stations + station;
    return station >= 0 && station < k.stations && seq >= k.seqBase && seq < k.seqBase + k.perStation ? n : -1;
}
