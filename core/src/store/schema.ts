import { QUERY_EXPORT_INDEXES } from './queryExportIndexes.ts';
import type { SqlDriver } from './driver.ts';
import { StoreError } from './types.ts';
import { TRIGGER_TABLES } from './triggerTables.ts';
import { TRIGGER_SHARED_TABLE_NAMES, TRIGGER_SHARED_TABLES } from './triggerSharedTables.ts';
import { EXECUTION_TABLES, EXECUTION_TABLE_NAMES } from './executionTables.ts';
import { QUERY_INDEXES, QUERY_TABLES } from './queryIndexes.ts';
import { DETAILS_TABLE_NAMES, DETAILS_TABLES } from './detailsTables.ts';
import { EXECUTOR_COLUMNS } from './executorColumns.ts';
import { FAN_OUT_TABLES } from './fanOutTables.ts';
import { ARTIFACT_REUSE_COLUMNS } from './artifactReuseColumns.ts';

/**
 * Forward migrations, applied in order; the schema version is `PRAGMA user_version`, i.e. the
 * number of migrations applied. Never edit a released migration: add one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the initial schema.
  `
  -- AUTOINCREMENT: the id is the run number users see (#42), so a deleted run's number is never reused.
  CREATE TABLE pipeline_run (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline_name TEXT NOT NULL,
    pipeline_file TEXT NOT NULL,
    status TEXT NOT NULL,
    trigger TEXT NOT NULL,
    mode TEXT NOT NULL,
    selection TEXT NOT NULL DEFAULT '[]',
    variables TEXT NOT NULL DEFAULT '{}',
    git_commit TEXT,
    git_branch TEXT,
    git_dirty INTEGER,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    error TEXT,
    owner_pid INTEGER NOT NULL,
    owner_host TEXT NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );
  CREATE INDEX pipeline_run_by_file ON pipeline_run (pipeline_file, id);
  CREATE INDEX pipeline_run_by_name ON pipeline_run (pipeline_name, id);
  CREATE INDEX pipeline_run_by_status ON pipeline_run (status, id);

  CREATE TABLE block_run (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES pipeline_run (id) ON DELETE CASCADE,
    -- Copied from the run, so that from/cache lookups need no join.
    pipeline_file TEXT NOT NULL,
    block TEXT NOT NULL,
    status TEXT NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 1,
    exit_code INTEGER,
    signal TEXT,
    reason TEXT,
    started_at INTEGER,
    finished_at INTEGER,
    outputs TEXT NOT NULL DEFAULT '{}',
    fingerprint TEXT,
    log_dropped_bytes INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX block_run_by_run ON block_run (run_id, block, attempt);
  CREATE INDEX block_run_by_block ON block_run (pipeline_file, block, status);

  -- One row per chunk of output as it arrived (coalesced per flush), never per line.
  CREATE TABLE block_log (
    id INTEGER PRIMARY KEY,
    block_run_id INTEGER NOT NULL REFERENCES block_run (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    stream TEXT NOT NULL,
    time INTEGER NOT NULL,
    chunk TEXT NOT NULL
  );
  CREATE UNIQUE INDEX block_log_by_block_run ON block_log (block_run_id, seq);
  `,
  // 2: retry/replay provenance and cache output hashes.
  `
  ALTER TABLE pipeline_run ADD COLUMN source_run_id INTEGER;
  ALTER TABLE block_run ADD COLUMN output_hashes TEXT;
  CREATE INDEX block_run_by_fingerprint ON block_run (pipeline_file, block, fingerprint) WHERE fingerprint IS NOT NULL;
  `,
  // 3: triggers (see triggerStore.ts).
  TRIGGER_TABLES,
  // The query language's indexes, side tables and text index (see queryIndexes.ts).
  QUERY_INDEXES,
  // Run details (see detailsTables.ts).
  DETAILS_TABLES,
  // Disabled triggers and shown alerts, shared by every window and scheduler (see triggerSharedTables.ts).
  TRIGGER_SHARED_TABLES,
  // Sub-pipeline links and run profiles (see executionTables.ts).
  EXECUTION_TABLES,
  // Which executor ran each attempt (see executorColumns.ts).
  EXECUTOR_COLUMNS,
  // Fan-out items and batches (see fanOutTables.ts).
  FAN_OUT_TABLES,
  // The export's read-ahead of block duration history (see queryExportIndexes.ts).
  QUERY_EXPORT_INDEXES,
  // Cached blocks' artifacts name the block run that wrote them (see artifactReuseColumns.ts).
  ARTIFACT_REUSE_COLUMNS,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
const OUR_TABLES = new Set(['pipeline_run', 'block_run', 'block_log', 'sqlite_sequence', 'scheduler_lease', 'trigger_fire', ...QUERY_TABLES, ...DETAILS_TABLE_NAMES, ...TRIGGER_SHARED_TABLE_NAMES, ...EXECUTION_TABLE_NAMES]);

export function schemaVersion(driver: SqlDriver): number {
  return Number(driver.prepare('PRAGMA user_version').get()?.user_version ?? 0);
}

/**
 * Throws unless the database is a run store this version can use (or an empty database): a newer
 * schema, or a database of some other program, must never be touched.
 */
export function checkSchema(driver: SqlDriver, path: string): number {
  const version = schemaVersion(driver);
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      'schema',
      `The run store ${path} was written by a newer Pipeline Studio (schema ${version}; this one knows up to ${SCHEMA_VERSION}). ` +
        'Update the extension or CLI to use it; it was left untouched.',
    );
  }
  if (version === 0) {
    const foreign = driver
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((row) => String(row.name))
      .filter((name) => !OUR_TABLES.has(name));
    if (foreign.length > 0) {
      throw new StoreError('corrupt', `${path} is not a Pipeline Studio run store (it is another program's database, with tables ${foreign.slice(0, 3).join(', ')}); it was left untouched.`);
    }
  }
  return version;
}

/** Brings the schema up to date in one write transaction; safe when several processes open at once. */
export function migrate(driver: SqlDriver, path: string): void {
  if (checkSchema(driver, path) === SCHEMA_VERSION) return;
  driver.transaction(() => {
    // Another process may have migrated between the check and the lock.
    const version = checkSchema(driver, path);
    for (const sql of MIGRATIONS.slice(version)) driver.exec(sql);
    driver.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  });
}
