import { accessSync, constants, statSync } from 'node:fs';
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
  const result = (path ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => join(dir, name)).find(canExecute);
  found.set(key, result);
  return result;
}

// A one-line script made only of these characters has no quoting, expansion, globbing, redirection,
// operators or comments: the shell would only split it on spaces and run the first word.
const PLAIN_SCRIPT = /^[A-Za-z0-9_./,:+@%=-]+( +[A-Za-z0-9_./,:+@%=-]+)*$/;
// Words the shell itself answers (builtins and reserved words), where running a program of that
// name instead would differ (`pwd` prints the logical folder, `cd` changes nothing, …).
const SHELL_WORDS = new Set([
  '.', ':', 'alias', 'bg', 'bind', 'break', 'builtin', 'caller', 'case', 'cd', 'command', 'compgen', 'complete',
  'continue', 'declare', 'dirs', 'disown', 'do', 'done', 'elif', 'else', 'enable', 'esac', 'eval', 'exec', 'exit',
  'export', 'false', 'fc', 'fg', 'fi', 'for', 'function', 'getopts', 'hash', 'help', 'history', 'if', 'jobs', 'kill',
  'let', 'local', 'logout', 'mapfile', 'popd', 'pushd', 'pwd', 'read', 'readarray', 'readonly', 'return', 'select',
  'set', 'shift', 'shopt', 'source', 'suspend', 'test', 'then', 'time', 'times', 'trap', 'type', 'typeset', 'ulimit',
  'umask', 'unalias', 'unset', 'until', 'wait', 'while',
]);
// Not zsh: it reads ~/.zshenv even for `-c`, and what that sets would be lost.

/**
 * The argv that runs a plain one-command script without its shell, as make does: one process per
 * block instead of two. Only where that cannot change what runs: sh or bash (without BASH_ENV), a script of plain
 * words (see PLAIN_SCRIPT), a first word that is a program found on PATH (not a builtin, reserved
 * word, assignment or relative path). Anything else, including a program that is not found, goes
 * through the shell, which gives its own message and exit status.
 */
export function directCommand(shell: ShellName, script: string, env: Readonly<Record<string, string | undefined>>): ShellCommand | undefined {
  // bash -c reads BASH_ENV first.
  if (!(shell === 'sh' || (shell === 'bash' && env.BASH_ENV === undefined)) || process.platform === 'win32') return undefined;
  const path = env.PATH;
  const line = script.trim();
  if (!PLAIN_SCRIPT.test(line)) return undefined;
  const [first = '', ...args] = line.split(/ +/);
  if (SHELL_WORDS.has(first) || first.includes('=')) return undefined;
  const file = first.startsWith('/') ? (isProgram(first) ? first : undefined) : first.includes('/') ? undefined : programOnPath(first, path);
  return file === undefined ? undefined : { file, args };
}

// Remembered briefly: a fan-out looks its program up once, and a long-lived service still sees a
// program installed or removed since (a stale hit would fail the block with a wrong message).
const PROGRAM_TTL_MS = 2000;
const programs = new Map<string, { file: string | undefined; at: number }>();

function programOnPath(name: string, path: string | undefined): string | undefined {
  const key = `${name}\0${path ?? ''}`;
  const now = Date.now();
  const hit = programs.get(key);
  if (hit !== undefined && now - hit.at < PROGRAM_TTL_MS) return hit.file;
  const dirs = (path ?? '').split(delimiter);
  // A relative (or empty: the current folder) entry is searched from the block's folder: leave that to the shell.
  const file = dirs.every((dir) => dir.startsWith('/')) ? dirs.map((dir) => join(dir, name)).find(isProgram) : undefined;
  if (programs.size > 1000) programs.clear();
  programs.set(key, { file, at: now });
  return file;
}

/** An executable regular file (a folder on PATH with the program's name is skipped, as the shell does). */
function isProgram(file: string): boolean {
  try {
    return statSync(file).isFile() && canExecute(file);
  } catch {
    return false;
  }
}

function canExecute(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
