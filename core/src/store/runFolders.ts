import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A run's temporary folder (its blocks' $PIPELINE_OUTPUT files) is named after the run, so that
 * whoever marks the run `interrupted` finds the folder its dead owner left without guessing and
 * without a column in the store: `pipeline-run-<store key>-<run id>-<owner pid>-XXXXXX` in the
 * owner's temporary folder. The store key is a hash of the store file's real path, so two stores
 * with a run #7 each never share a name.
 */
export const RUN_FOLDER_PREFIX = 'pipeline-run-';

/** Creates the temporary folder of a run owned by this process. */
export function createRunFolder(storePath: string, runId: number): string {
  return mkdtempSync(join(tmpdir(), `${runFolderStem(storePath, runId, process.pid)}-`));
}

/**
 * Removes the folders that the run's dead owner left in this host's temporary folder. Only
 * directories (not links) directly in tmpdir() whose whole name is the run's stem plus mkdtemp's
 * six characters are touched. Returns how many were removed.
 */
export function removeRunFolders(storePath: string, runId: number, ownerPid: number): number {
  const stem = `${runFolderStem(storePath, runId, ownerPid)}-`;
  const base = tmpdir();
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(stem) || !/^[A-Za-z0-9]{6}$/.test(name.slice(stem.length))) continue;
    const path = join(base, name);
    try {
      if (!lstatSync(path).isDirectory()) continue;
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // Not ours to remove after all (permissions); it is left.
    }
  }
  return removed;
}

export function runFolderStem(storePath: string, runId: number, ownerPid: number): string {
  let path = storePath;
  try {
    path = realpathSync(storePath);
  } catch {
    // An in-memory or vanished store: its given path is the best key there is.
  }
  const key = createHash('sha256').update(path).digest('hex').slice(0, 12);
  return `${RUN_FOLDER_PREFIX}${key}-${runId}-${ownerPid}`;
}
