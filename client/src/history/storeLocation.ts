import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { STORE_FILE, STORE_FOLDER } from '../../../core/src/store/index.ts';

/**
 * The store of a workspace folder: `pipelineStudio.store.path` when set (relative to the folder,
 * `~` for the home folder), else `<folder>/.pipelines/runs.sqlite`, the path the CLI uses when run
 * from that folder. Computing it never creates anything: the history only reads.
 */
export function historyStorePath(folderPath: string, setting: string | undefined): string {
  const configured = setting?.trim() ?? '';
  if (configured === '') return join(resolve(folderPath), STORE_FOLDER, STORE_FILE);
  if (configured === '~' || configured.startsWith('~/')) return join(homedir(), configured.slice(1));
  return isAbsolute(configured) ? resolve(configured) : resolve(folderPath, configured);
}
