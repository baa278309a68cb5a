import type { ShellName } from '../model/pipeline.ts';

/**
 * Quotes a value as one literal word (or string literal) of the given shell, so the shell reads it
 * back exactly and never as code.
 *
 * The runner does not paste these into scripts: it hands each `${{ }}` value to the process in an
 * environment variable and writes a reference to that variable (see substitute.ts), which is safe
 * in every quoting context. These quoted forms are what a *reader* sees: the resolved command shown
 * by a dry run, and the text hashed into a cache fingerprint.
 */
export function quoteForShell(shell: ShellName, value: string): string {
  switch (shell) {
    case 'bash':
    case 'sh':
    case 'zsh':
      return quotePosix(value);
    case 'pwsh':
      return quotePwsh(value);
    case 'python':
    case 'node':
      return quoteJsonString(value);
  }
}

/** POSIX single quotes take everything literally except `'` itself, which is closed, escaped and reopened. */
export function quotePosix(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

// PowerShell ends a single-quoted string at any of these, and reads each one doubled as itself.
const PWSH_SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

export function quotePwsh(value: string): string {
  return `'${value.replace(PWSH_SINGLE_QUOTES, (q) => q + q)}'`;
}

/**
 * A JSON string is a valid Python and JavaScript string literal with the same value: both read
 * `\"`, `\\`, `\n`, `\t`, `\b`, `\f`, `\r` and `\uXXXX` alike, and JSON.stringify escapes every
 * control character and lone surrogate.
 */
export function quoteJsonString(value: string): string {
  return JSON.stringify(value);
}
