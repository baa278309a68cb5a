/**
 * Fan-out (issue 17), one migration: each item of a `foreach` block is recorded like a block run
 * (its own row per attempt, status, log and outputs) in `block_run`, marked with the block it
 * belongs to (`item_of`), its position and its value; the block's own row holds the aggregate.
 * Readers that list a run's blocks leave item rows out (`item_of IS NULL`) and page them apart, so
 * a fan-out of 10,000 items costs the Runs tree one row until it is expanded.
 *
 * A run started by `run --for-each` carries the id of its batch (`batch:ID` in the query language).
 */
export const FAN_OUT_TABLES = `
  ALTER TABLE block_run ADD COLUMN item_of TEXT;
  ALTER TABLE block_run ADD COLUMN item_index INTEGER;
  ALTER TABLE block_run ADD COLUMN item_value TEXT;
  CREATE INDEX block_run_items ON block_run (run_id, item_of, item_index, attempt) WHERE item_of IS NOT NULL;
  ALTER TABLE pipeline_run ADD COLUMN batch_id TEXT;
  CREATE INDEX pipeline_run_by_batch ON pipeline_run (batch_id, id) WHERE batch_id IS NOT NULL;
`;

/** Only the rows of blocks (not of fan-out items): for every reader that lists a run's blocks. */
export const BLOCKS_ONLY = 'item_of IS NULL';

/** The latest attempt of each item of one fan-out block, in item order (a page of them). */
export const ITEM_PAGE = `SELECT %COLUMNS% FROM block_run b
  WHERE b.run_id = ? AND b.item_of = ?
    AND b.attempt = (SELECT max(l.attempt) FROM block_run l WHERE l.run_id = b.run_id AND l.item_of = b.item_of AND l.item_index = b.item_index)
  ORDER BY b.item_index LIMIT ? OFFSET ?`;

/** How many items of one fan-out block are in each status (latest attempt of each). */
export const ITEM_COUNTS = `SELECT status, count(*) AS n FROM (
    SELECT item_index, status, max(attempt) FROM block_run WHERE run_id = ? AND item_of = ? GROUP BY item_index)
  GROUP BY status`;
