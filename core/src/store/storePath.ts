import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const STORE_FOLDER = '.pipelines';
export const STORE_FILE = 'runs.sqlite';

/**
 * `<folder>/.pipelines/runs.sqlite`, creating `.pipelines/` with a `.gitignore` of `*` so that run
 * history (which holds logs, and maybe secrets printed by blocks) is never committed by accident.
 */
export function defaultStorePath(workspaceOrPipelineFolder: string): string {
  const folder = join(resolve(workspaceOrPipelineFolder), STORE_FOLDER);
  mkdirSync(folder, { recursive: true });
  const gitignore = join(folder, '.gitignore');
  if (!existsSync(gitignore)) {
    try {
      writeFileSync(gitignore, '*\n', { flag: 'wx' });
    } catch (error) {
      // Another process made it first.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return join(folder, STORE_FILE);
}
