/**
 * The scheduler's tables (migration 3): one lease row, so that exactly one scheduler per store
 * fires, and one row per fire, whose unique key makes a tick fire once even while two schedulers
 * hand the lease over.
 */
export const TRIGGER_TABLES = `
  CREATE TABLE scheduler_lease (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    holder TEXT NOT NULL,
    owner_pid INTEGER NOT NULL,
    owner_host TEXT NOT NULL,
    acquired_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );
  CREATE TABLE trigger_fire (
    id INTEGER PRIMARY KEY,
    pipeline_file TEXT NOT NULL,
    trigger TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- The tick this fire is for (a clock time, or when the event came); with the file and trigger, unique.
    scheduled_for INTEGER NOT NULL,
    fired_at INTEGER NOT NULL,
    holder TEXT NOT NULL,
    run_id INTEGER REFERENCES pipeline_run (id) ON DELETE SET NULL,
    -- The file that fired an event trigger; the upstream run of a chained one.
    detail TEXT,
    upstream_run_id INTEGER,
    -- started, skipped (overlap), queued, refused (the run could not start: why), alert:… lines.
    outcome TEXT NOT NULL DEFAULT 'started'
  );
  CREATE UNIQUE INDEX trigger_fire_once ON trigger_fire (pipeline_file, trigger, scheduled_for);
  CREATE INDEX trigger_fire_by_run ON trigger_fire (run_id) WHERE run_id IS NOT NULL;
`;
