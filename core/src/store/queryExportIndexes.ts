/**
 * Issue 15, second part: a block's completed attempts by run, so that reading the history a page of
 * runs looks back on (the "slow" mark of each block; core/src/query/exportDetails.ts) is a range
 * of the index, not a walk from the newest row down to the run.
 */
export const QUERY_EXPORT_INDEXES = `
  CREATE INDEX block_run_by_file_block_run ON block_run (pipeline_file, block, status, run_id);
`;
