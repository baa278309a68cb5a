import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ShellName } from '../model/pipeline.ts';

export interface ShellCommand {
  file: string;
  args: string[];
}

/** The argv that runs a block's script (the format reference's "Shells" table). */
export function shellCommand(shell: ShellName, script: string, path: string | undefined): ShellCommand {
  switch (shell) {
    case 'bash':
      return { file: 'bash', args: ['-eo', 'pipefail', '-c', script] };
    case 'sh':
      return { file: 'sh', args: ['-c', script] };
    case 'zsh':
      return { file: 'zsh', args: ['-eo', 'pipefail', '-c', script] };
    case 'pwsh':
      return { file: 'pwsh', args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script] };
    case 'python':
      return { file: findExecutable('python3', path) !== undefined || findExecutable('python', path) === undefined ? 'python3' : 'python', args: ['-c', script] };
    case 'node':
      return { file: 'node', args: ['-e', script] };
  }
}

const found = new Map<string, string | undefined>();

/** A PATH lookup, remembered per PATH, so `python` can stand in where `python3` does not exist. */
export function findExecutable(name: string, path: string | undefined): string | undefined {
  const key = `${name}\0${path ?? ''}`;
  if (found.has(key)) return found.get(key);
  let result: string | undefined;
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      result = candidate;
      break;
    } catch {
      // not in this folder
    }
  }
  found.set(key, result);
  return result;
}
