import { execFile } from 'node:child_process';
import { dirname, relative } from 'node:path';

/** A git revision the working copy can be compared with. */
export interface Revision {
  /** What git is given: `HEAD`, a commit hash or a branch name (checked by REVISION_PATTERN). */
  rev: string;
  label: string;
  detail: string;
}

/** Revisions as git spells them; never starting with `-`, so one can never be read as an option. */
export const REVISION_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_./~^@{}-]*$/;
const MAX_COMMITS = 30;
const MAX_BRANCHES = 30;
const MAX_FILE_BYTES = 16 * 1024 * 1024;

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: MAX_FILE_BYTES, timeout: 30_000, windowsHide: true }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(stderr.trim().split('\n')[0] || error.message));
      else resolve(stdout);
    });
  });
}

/** The repository root holding a file, or undefined outside git (or without git). */
export async function repositoryOf(file: string): Promise<string | undefined> {
  try {
    return (await git(dirname(file), ['rev-parse', '--show-toplevel'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** HEAD first, then the commits that touched the file (newest first), then the local branches. */
export async function revisionsOf(root: string, file: string): Promise<Revision[]> {
  const path = relative(root, file);
  const revisions: Revision[] = [{ rev: 'HEAD', label: 'HEAD', detail: 'the last commit' }];
  const log = await git(root, ['log', `-n${MAX_COMMITS}`, '--format=%h%x00%s%x00%cr', '--', path]).catch(() => '');
  for (const line of log.split('\n').filter((l) => l !== '')) {
    const [hash = '', subject = '', when = ''] = line.split('\0');
    if (REVISION_PATTERN.test(hash)) revisions.push({ rev: hash, label: hash, detail: `${subject} · ${when}` });
  }
  const branches = await git(root, ['for-each-ref', `--count=${MAX_BRANCHES}`, '--format=%(refname:short)', 'refs/heads']).catch(() => '');
  for (const branch of branches.split('\n').filter((b) => b !== '' && REVISION_PATTERN.test(b))) revisions.push({ rev: branch, label: branch, detail: 'branch' });
  return revisions;
}

/** The file's text at a revision; undefined when the file did not exist there. */
export async function textAt(root: string, file: string, rev: string): Promise<string | undefined> {
  if (!REVISION_PATTERN.test(rev)) throw new Error(`'${rev}' is not a git revision.`);
  const path = relative(root, file).split('\\').join('/');
  try {
    return await git(root, ['show', `${rev}:${path}`]);
  } catch {
    return undefined;
  }
}
