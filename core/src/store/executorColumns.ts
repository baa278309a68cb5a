/**
 * Which executor ran each block attempt (issue 18): the profile's name (`gpu`, `local`), its type
 * (`slurm`, `container`, `local`) and the remote job's id when there is one (a SLURM job id, a
 * container's name), so `show`, the Runs tree and run details can say where an attempt ran and a
 * later process can find its job. One row of block_run is one attempt, so these are its columns.
 */
export const EXECUTOR_COLUMNS = `
  ALTER TABLE block_run ADD COLUMN executor TEXT;
  ALTER TABLE block_run ADD COLUMN executor_type TEXT;
  ALTER TABLE block_run ADD COLUMN executor_job TEXT;
`;
