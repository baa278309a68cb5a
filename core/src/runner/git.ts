import { execFile } from 'node:child_process';
import type { GitInfo } from '../store/types.ts';

/**
 * Commit, branch and dirtiness of the work tree holding `folder`, from one `git status` call;
 * undefined outside a work tree, without git, or before the first commit. Untracked files do not
 * make the tree dirty (as with `git describe --dirty`).
 */
export function gitInfo(folder: string): Promise<GitInfo | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['status', '--porcelain=v2', '--branch', '--untracked-files=no'],
      { cwd: folder, timeout: 5000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (error, stdout) => {
        if (error !== null) {
          resolve(undefined);
          return;
        }
        let commit: string | undefined;
        let branch: string | undefined;
        let dirty = false;
        for (const line of stdout.split('\n')) {
          if (line.startsWith('# branch.oid ')) commit = line.slice('# branch.oid '.length).trim();
          else if (line.startsWith('# branch.head ')) branch = line.slice('# branch.head '.length).trim();
          else if (line !== '' && !line.startsWith('#')) dirty = true;
        }
        if (commit === undefined || commit === '(initial)') {
          resolve(undefined);
          return;
        }
        resolve({ commit, branch: branch === '(detached)' ? undefined : branch, dirty });
      },
    );
  });
}
