-- Observations as rows (the thesis kept them in MongoDB; PostgreSQL stands in), station metadata as JSONB.
CREATE TABLE IF NOT EXISTS stations (
    station_id integer PRIMARY KEY,
    meta jsonb NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS observations (
    station_id  integer          NOT NULL,
    seq         bigint           NOT NULL,
    sensor_id   integer          NOT NULL,
    observed_at timestamptz      NOT NULL,
    value       double precision NOT NULL,
    unit        text             NOT NULL,
    run_id      text             NOT NULL,
    stored_at   timestamptz      NOT NULL DEFAULT now(),
    -- The idempotency key: a redelivered observation is never stored twice.
    PRIMARY KEY (station_id, seq)
);
CREATE INDEX IF NOT EXISTS observations_station_time ON observations (station_id, observed_at);
-- Runs are counted by their key range (the generator knows it); an index on run_id only cost writes.
DROP INDEX IF EXISTS observations_run;
