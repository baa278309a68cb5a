/**
 * Execution control's tables (issue 17): which run a sub-pipeline block started (the child run,
 * linked both ways: a run's children by block, a child's parent), and the profile a run applied.
 * Side tables rather than columns of pipeline_run, so that the run store's own rows stay as they
 * are; rows go with their runs.
 */
export const EXECUTION_TABLES = `
  CREATE TABLE sub_run (
    child_run_id INTEGER PRIMARY KEY REFERENCES pipeline_run (id) ON DELETE CASCADE,
    parent_run_id INTEGER NOT NULL REFERENCES pipeline_run (id) ON DELETE CASCADE,
    parent_block TEXT NOT NULL,
    parent_block_run_id INTEGER
  );
  CREATE INDEX sub_run_by_parent ON sub_run (parent_run_id, parent_block);
  CREATE TABLE run_profile (
    run_id INTEGER PRIMARY KEY REFERENCES pipeline_run (id) ON DELETE CASCADE,
    profile TEXT NOT NULL
  );
`;

export const EXECUTION_TABLE_NAMES = ['sub_run', 'run_profile'];
