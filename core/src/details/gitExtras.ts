import { execFile } from 'node:child_process';
import type { GitExtras } from './types.ts';

/**
 * Author, commit time and subject of HEAD, and the remote's URL without credentials; undefined
 * outside a work tree or before the first commit. Two short git calls, run while the run starts.
 */
export async function gitExtras(folder: string): Promise<GitExtras | undefined> {
  const [log, remote] = await Promise.all([
    git(folder, ['log', '-1', '--format=%an <%ae>%x00%ct%x00%s']),
    remoteUrl(folder),
  ]);
  if (log === undefined) return undefined;
  const [author, time, subject] = log.replace(/\n$/, '').split('\0');
  const seconds = Number(time);
  return {
    author: author === undefined || author === '' ? undefined : author,
    commitTime: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined,
    subject: subject === undefined || subject === '' ? undefined : subject,
    remote: remote === undefined ? undefined : stripCredentials(remote),
  };
}

/** The upstream's remote, else `origin`, else the first one. */
async function remoteUrl(folder: string): Promise<string | undefined> {
  const upstream = await git(folder, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']);
  const names = (await git(folder, ['remote']))?.split('\n').filter((n) => n !== '') ?? [];
  const fromUpstream = upstream?.trim().split('/')[0];
  const name = names.find((n) => n === fromUpstream) ?? names.find((n) => n === 'origin') ?? names[0];
  if (name === undefined) return undefined;
  return (await git(folder, ['remote', 'get-url', name]))?.trim();
}

/**
 * A remote URL without whatever could be a secret: the user-info part of a URL (`user:token@`,
 * or a bare token as user) and any query string (signed URLs). An scp-like `git@host:path` keeps
 * its user, which is a login name, never a secret.
 */
export function stripCredentials(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/i.exec(url);
  if (scheme === null) return url;
  const [, prefix = '', authority = '', rest = ''] = scheme;
  const at = authority.lastIndexOf('@');
  const host = at === -1 ? authority : authority.slice(at + 1);
  const path = rest.replace(/[?#].*$/, '');
  return `${prefix}${host}${path}`;
}

function git(folder: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd: folder, timeout: 5000, maxBuffer: 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' } }, (error, stdout) => {
      resolve(error === null ? stdout : undefined);
    });
  });
}
