/**
 * Artifacts of cached blocks (issue 16): a block skipped because its cache is valid records the
 * files it reused, copied from the run that wrote them, with the block run that wrote them here,
 * so the details view can say "cached from run #N" and `compare` sees the same hashes.
 * NULL on the rows of a block run that ran (it wrote or read the files itself).
 */
export const ARTIFACT_REUSE_COLUMNS = `
  ALTER TABLE artifact ADD COLUMN reused_from_block_run_id INTEGER;
`;
