/**
 * What the query language (core/src/query) needs to stay fast at 100,000 runs: indexes for its
 * terms, two side tables that make variables and block outputs indexable (JSON columns are not),
 * and a trigram FTS5 index for text search (substring matching, as the old LIKE filter did, without
 * scanning every run). Triggers keep them in step with the runs, so no writer has to know about them.
 */

// Numbers compare as numbers: a value that is a JSON number, or text that reads as one ('10' from `--var epochs=10`).
const NUMBER_OF = (type: string, value: string): string =>
  `CASE WHEN ${type} IN ('integer', 'real') THEN ${value}
        WHEN ${type} = 'text' AND ${value} GLOB '*[0-9]*' AND ${value} NOT GLOB '*[^-+0-9.eE]*' THEN CAST(${value} AS REAL) END`;
const TEXT_OF = (type: string, value: string): string => `CASE WHEN ${type} IN ('true', 'false') THEN ${type} ELSE CAST(${value} AS TEXT) END`;
// json_each fails on malformed JSON; a hand-edited row must not make writing a run fail.
const JSON_OR_EMPTY = (column: string): string => `CASE WHEN json_valid(${column}) THEN CASE WHEN json_type(${column}) = 'object' THEN ${column} ELSE '{}' END ELSE '{}' END`;
// Run error plus every block run's reason: what `error:` searches.
const REASONS_OF = (runId: string): string =>
  `coalesce((SELECT error FROM pipeline_run WHERE id = ${runId}), '') || ' ' || coalesce((SELECT group_concat(reason, ' ') FROM block_run WHERE run_id = ${runId} AND reason IS NOT NULL), '')`;
const SEARCH_TEXT_OF = (row: string): string =>
  `${row}.pipeline_name || ' ' || coalesce(${row}.git_branch, '') || ' ' || coalesce(${row}.git_commit, '') || ' ' || ${row}.trigger || ' ' || ${row}.variables`;

export const QUERY_INDEXES = `
  CREATE INDEX pipeline_run_by_name_nocase ON pipeline_run (pipeline_name COLLATE NOCASE, id);
  CREATE INDEX pipeline_run_by_trigger ON pipeline_run (trigger, id);
  CREATE INDEX pipeline_run_by_branch ON pipeline_run (git_branch, id);
  CREATE INDEX pipeline_run_by_commit ON pipeline_run (git_commit);
  CREATE INDEX pipeline_run_by_start ON pipeline_run (coalesce(started_at, created_at));
  CREATE INDEX block_run_by_block_id ON block_run (block, status, run_id, attempt);
  -- duration: finished runs by their length, running ones by their start (their length grows with the clock).
  CREATE INDEX pipeline_run_by_duration ON pipeline_run (finished_at - started_at);
  CREATE INDEX pipeline_run_unfinished ON pipeline_run (started_at) WHERE finished_at IS NULL;

  CREATE TABLE run_variable (
    run_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    text TEXT,
    num REAL
  );
  CREATE INDEX run_variable_by_run ON run_variable (run_id);
  CREATE INDEX run_variable_by_num ON run_variable (name, num, run_id);
  CREATE INDEX run_variable_by_text ON run_variable (name, text, run_id);

  CREATE TABLE block_output (
    block_run_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    block TEXT NOT NULL,
    name TEXT NOT NULL,
    text TEXT,
    num REAL
  );
  CREATE INDEX block_output_by_block_run ON block_output (block_run_id);
  CREATE INDEX block_output_by_run ON block_output (run_id);
  CREATE INDEX block_output_by_num ON block_output (name, num, run_id);
  CREATE INDEX block_output_by_text ON block_output (name, text, run_id);

  -- rowid = the run's id. text: name, branch, commit, trigger, variables; error: the run's error and its block runs' reasons.
  CREATE VIRTUAL TABLE run_search USING fts5 (text, error, tokenize = 'trigram');

  CREATE TRIGGER pipeline_run_query_insert AFTER INSERT ON pipeline_run BEGIN
    INSERT INTO run_variable (run_id, name, text, num)
      SELECT new.id, key, ${TEXT_OF('type', 'value')}, ${NUMBER_OF('type', 'value')} FROM json_each(${JSON_OR_EMPTY('new.variables')});
    INSERT INTO run_search (rowid, text, error) VALUES (new.id, ${SEARCH_TEXT_OF('new')}, coalesce(new.error, ''));
  END;
  CREATE TRIGGER pipeline_run_query_error AFTER UPDATE OF error ON pipeline_run WHEN new.error IS NOT old.error BEGIN
    UPDATE run_search SET error = ${REASONS_OF('new.id')} WHERE rowid = new.id;
  END;
  CREATE TRIGGER pipeline_run_query_delete AFTER DELETE ON pipeline_run BEGIN
    DELETE FROM run_variable WHERE run_id = old.id;
    DELETE FROM block_output WHERE run_id = old.id;
    DELETE FROM run_search WHERE rowid = old.id;
  END;

  CREATE TRIGGER block_run_query_insert AFTER INSERT ON block_run BEGIN
    INSERT INTO block_output (block_run_id, run_id, block, name, text, num)
      SELECT new.id, new.run_id, new.block, key, ${TEXT_OF('type', 'value')}, ${NUMBER_OF('type', 'value')} FROM json_each(${JSON_OR_EMPTY('new.outputs')});
    UPDATE run_search SET error = ${REASONS_OF('new.run_id')} WHERE rowid = new.run_id AND new.reason IS NOT NULL;
  END;
  CREATE TRIGGER block_run_query_outputs AFTER UPDATE OF outputs ON block_run WHEN new.outputs IS NOT old.outputs BEGIN
    DELETE FROM block_output WHERE block_run_id = new.id;
    INSERT INTO block_output (block_run_id, run_id, block, name, text, num)
      SELECT new.id, new.run_id, new.block, key, ${TEXT_OF('type', 'value')}, ${NUMBER_OF('type', 'value')} FROM json_each(${JSON_OR_EMPTY('new.outputs')});
  END;
  CREATE TRIGGER block_run_query_reason AFTER UPDATE OF reason ON block_run WHEN new.reason IS NOT old.reason BEGIN
    UPDATE run_search SET error = ${REASONS_OF('new.run_id')} WHERE rowid = new.run_id;
  END;
  CREATE TRIGGER block_run_query_delete AFTER DELETE ON block_run BEGIN
    DELETE FROM block_output WHERE block_run_id = old.id;
  END;

  -- Runs recorded before this migration.
  INSERT INTO run_variable (run_id, name, text, num)
    SELECT r.id, j.key, ${TEXT_OF('j.type', 'j.value')}, ${NUMBER_OF('j.type', 'j.value')} FROM pipeline_run r, json_each(${JSON_OR_EMPTY('r.variables')}) j;
  INSERT INTO block_output (block_run_id, run_id, block, name, text, num)
    SELECT b.id, b.run_id, b.block, j.key, ${TEXT_OF('j.type', 'j.value')}, ${NUMBER_OF('j.type', 'j.value')} FROM block_run b, json_each(${JSON_OR_EMPTY('b.outputs')}) j;
  INSERT INTO run_search (rowid, text, error) SELECT r.id, ${SEARCH_TEXT_OF('r')}, ${REASONS_OF('r.id')} FROM pipeline_run r;
`;

/** Tables (and FTS5 shadow tables) this migration adds, for the schema's foreign-database check. */
export const QUERY_TABLES = [
  'run_variable', 'block_output', 'run_search', 'run_search_data', 'run_search_idx', 'run_search_content', 'run_search_docsize', 'run_search_config',
];
