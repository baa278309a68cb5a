/**
 * What every window and scheduler on a store share about triggers (appended to MIGRATIONS):
 * - trigger_disabled: the triggers the user turned off, honoured by every scheduler on the store
 *   (editor windows and headless alike), not one window's private list;
 * - trigger_alert_shown: an alert (a run's failure, missed SLA, long run…) claimed by the one window
 *   that shows it, so that several windows on one store show it once.
 */
export const TRIGGER_SHARED_TABLES = `
  CREATE TABLE trigger_disabled (
    pipeline_file TEXT NOT NULL,
    trigger TEXT NOT NULL,
    disabled_at INTEGER NOT NULL,
    PRIMARY KEY (pipeline_file, trigger)
  );
  CREATE TABLE trigger_alert_shown (
    run_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    shown_at INTEGER NOT NULL,
    shown_by TEXT NOT NULL,
    PRIMARY KEY (run_id, kind)
  );
`;

export const TRIGGER_SHARED_TABLE_NAMES = ['trigger_disabled', 'trigger_alert_shown'];
