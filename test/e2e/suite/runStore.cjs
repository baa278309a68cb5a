// Reads the run store the extension writes, through a real SQLite connection of its own
// (node:sqlite, read-only), so the run tests check what was recorded rather than what the
// extension says it recorded.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { DatabaseSync } = require('node:sqlite');
const { workspaceRoot } = require('./helpers.cjs');

/** Where runs of the fixture workspace go by default (pipelineStudio.store.path is empty). */
function defaultStorePath() {
  return path.join(workspaceRoot().fsPath, '.pipelines', 'runs.sqlite');
}

function withDatabase(storePath, fn) {
  const db = new DatabaseSync(storePath, { readOnly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * Run `runId` as recorded: the run row (variables parsed), every block's latest attempt by block
 * id, and all attempts. Undefined when the store or the run does not exist.
 */
function readRun(runId, storePath = defaultStorePath()) {
  if (!fs.existsSync(storePath)) return undefined;
  return withDatabase(storePath, (db) => {
    const run = db.prepare('SELECT * FROM pipeline_run WHERE id = ?').get(runId);
    if (run === undefined) return undefined;
    const attempts = db.prepare('SELECT * FROM block_run WHERE run_id = ? ORDER BY block, attempt').all(runId);
    const blocks = {};
    for (const attempt of attempts) blocks[attempt.block] = attempt;
    return { run: { ...run, variables: JSON.parse(run.variables) }, blocks, attempts };
  });
}

/** { block: status } of a recorded run, for assertions that show the whole picture when they fail. */
function blockStatuses(recorded) {
  return Object.fromEntries(Object.entries(recorded.blocks).map(([block, row]) => [block, row.status]));
}

/** The stored output of a block run, all streams in order. */
function blockLog(blockRunId, storePath = defaultStorePath()) {
  return withDatabase(storePath, (db) =>
    db
      .prepare('SELECT chunk FROM block_log WHERE block_run_id = ? ORDER BY seq')
      .all(blockRunId)
      .map((r) => r.chunk)
      .join(''),
  );
}

/** The newest run of a pipeline file, or undefined. */
function latestRunOf(pipelineFile, storePath = defaultStorePath()) {
  if (!fs.existsSync(storePath)) return undefined;
  return withDatabase(storePath, (db) => db.prepare('SELECT * FROM pipeline_run WHERE pipeline_file = ? ORDER BY id DESC LIMIT 1').get(pipelineFile));
}

module.exports = { defaultStorePath, readRun, blockStatuses, blockLog, latestRunOf };
