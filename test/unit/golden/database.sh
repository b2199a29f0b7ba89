cat > /etc/postgresql/15/main/conf.d/vtb.conf <<'VTB_CONF'
listen_addresses = '*'
shared_buffers = 256MB
synchronous_commit = 'on'
max_wal_size = '1GB'
min_wal_size = '256MB'
checkpoint_timeout = '15min'
checkpoint_completion_target = '0.9'
VTB_CONF
grep -q '# vtb-subnet' /etc/postgresql/15/main/pg_hba.conf || echo 'host sensing vtb 10.231.1.0/24 scram-sha-256 # vtb-subnet' >> /etc/postgresql/15/main/pg_hba.conf
grep -q '# vtb-dashboard' /etc/postgresql/15/main/pg_hba.conf || echo 'host sensing vtb_dashboard 10.231.1.0/24 scram-sha-256 # vtb-dashboard' >> /etc/postgresql/15/main/pg_hba.conf
mkdir -p /etc/vtb/services.d
cat > /etc/vtb/services.d/20-postgresql.sh <<'VTB_SERVICE'
pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start
VTB_SERVICE
sh /etc/vtb/services.d/20-postgresql.sh

pg_ctlcluster 15 main reload
until su postgres -c 'pg_isready -q'; do sleep 0.5; done
su postgres -c 'psql -q -v ON_ERROR_STOP=1' <<'VTB_SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vtb') THEN CREATE ROLE vtb LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vtb_dashboard') THEN CREATE ROLE vtb_dashboard LOGIN; END IF;
END $$;
ALTER ROLE vtb PASSWORD 'PASSWORD';
ALTER ROLE vtb_dashboard PASSWORD '25d94d7f9116473249eeb5dce5c3251f';
VTB_SQL
su postgres -c 'psql -tAc "SELECT 1 FROM pg_database WHERE datname = '"'"'sensing'"'"'"' | grep -q 1 || su postgres -c 'createdb -O vtb sensing'
su postgres -c 'psql -q -v ON_ERROR_STOP=1 -d sensing' <<'VTB_SQL'
SET ROLE vtb;
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

GRANT CONNECT ON DATABASE sensing TO vtb_dashboard;
GRANT USAGE ON SCHEMA public TO vtb_dashboard;
GRANT SELECT ON observations TO vtb_dashboard;
VTB_SQL
