import type { ShellName } from '../model/pipeline.ts';
import { nodeHoleContexts, pythonHoleContexts } from './codeContext.ts';
import { PLACEHOLDER, type HoleContext, type HoleScan } from './holeContext.ts';
import { posixHoleContexts } from './posixContext.ts';
import { pwshHoleContexts } from './pwshContext.ts';
import { quoteForShell } from './quote.ts';

/**
 * How `${{ }}` values get into a `run` script without ever becoming code.
 *
 * Quoting a value and pasting it in (`'it'\''s'`) is only right where the value lands as a bare
 * word. Inside the user's own double quotes the added quotes become literal characters and
 * `$(…)` in the value runs; inside single quotes they flip what is quoted. So the runner never
 * pastes a value at all: each expression's value goes into the process environment as
 * `PIPELINE_EXPR_<n>`, and the script gets a fixed reference to it, in the form that reads it back
 * exactly where it sits:
 *
 * | shell      | bare word                   | inside "…" / unquoted heredoc | literal text ('…', <<'EOF') |
 * |------------|-----------------------------|-------------------------------|-----------------------------|
 * | bash/sh/zsh| `"${PIPELINE_EXPR_1}"`      | `${PIPELINE_EXPR_1}`          | refused                      |
 * | pwsh       | `${env:PIPELINE_EXPR_1}`    | `${env:PIPELINE_EXPR_1}`      | refused                      |
 * | python     | `__import__('os').environ['PIPELINE_EXPR_1']` (code only) |   | refused (string literal)   |
 * | node       | `process.env.PIPELINE_EXPR_1` (code only)                 |   | refused (string literal)   |
 *
 * A shell expands a variable reference once and never parses the result again, so the value is
 * data by construction, even `"$(rm -rf ~)"` or a value with newlines. The inserted text is
 * the same whatever the value, so no value can change how the script parses.
 *
 * Literal contexts are refused before anything runs: there the shell expands nothing, and such
 * text is nearly always a program for another interpreter (`awk '…'`, `python3 -c '…'`, a
 * `<<'PY'` heredoc) where no shell quoting can keep a value from being code. The reason tells the
 * user to move the expression out of the quotes or to pass the value through `env:`.
 *
 * One shell feature re-parses text: bash and zsh evaluate `$(( ))`, `(( ))`, the operands of
 * `[[ a -eq b ]]` and array subscripts as arithmetic, in which `a[$(cmd)]` runs `cmd`. A value
 * used there directly must be a whole number, or the block is refused. (A value that reaches
 * arithmetic later, through a variable the script assigned, is out of the runner's sight; the
 * format reference advises validating such values.)
 */

export interface TemplatePiece {
  kind: 'text' | 'expr';
  /** For text, the text; for an expression, its source (`${{ vars.x }}`), used in messages. */
  text: string;
}

export interface SubstitutedScript {
  /** The script that runs. */
  script: string;
  /** `PIPELINE_EXPR_<n>` values for the process environment. */
  env: Record<string, string>;
  /** The script with each value quoted for the shell and pasted in: what a reader sees, and what a fingerprint hashes. */
  display: string;
}

export const EXPR_ENV_PREFIX = 'PIPELINE_EXPR_';

/** The quoting context of every expression of a script, in order. */
export function holeContexts(shell: ShellName, pieces: readonly TemplatePiece[]): HoleContext[] {
  const scan = toScan(pieces);
  switch (shell) {
    case 'bash':
    case 'zsh':
      return posixHoleContexts(scan, { bashArithmetic: true });
    case 'sh':
      return posixHoleContexts(scan, { bashArithmetic: false });
    case 'pwsh':
      return pwshHoleContexts(scan);
    case 'python':
      return pythonHoleContexts(scan);
    case 'node':
      return nodeHoleContexts(scan);
  }
}

/**
 * Problems that do not depend on values (an expression in a literal context), for a dry run and
 * for refusing early. Each message names the expression and its line.
 */
export function scriptProblems(shell: ShellName, pieces: readonly TemplatePiece[]): string[] {
  const contexts = holeContexts(shell, pieces);
  const problems: string[] = [];
  forEachExpr(pieces, (piece, k, line) => {
    const context = contexts[k];
    if (context?.kind === 'literal') problems.push(literalProblem(shell, piece.text, line, context.what));
  });
  return problems;
}

/** Builds the script, or returns why it must not run. `values` holds one string per expression piece. */
export function substituteScript(shell: ShellName, pieces: readonly TemplatePiece[], values: readonly string[]): SubstitutedScript | { error: string } {
  const contexts = holeContexts(shell, pieces);
  const env: Record<string, string> = {};
  let script = '';
  let display = '';
  let k = 0;
  let line = 1;
  for (const piece of pieces) {
    if (piece.kind === 'text') {
      script += piece.text;
      display += piece.text;
      line += countNewlines(piece.text);
      continue;
    }
    const value = values[k] ?? '';
    const context = contexts[k] ?? { kind: 'literal', what: 'an unknown place' };
    k++;
    if (value.includes('\0')) return { error: `the value of ${piece.text} (line ${line} of run) contains a NUL character, which cannot be passed to a process` };
    if (context.kind === 'literal') return { error: literalProblem(shell, piece.text, line, context.what) };
    if (context.kind === 'arithmetic' && !/^[+-]?[0-9]+$/.test(value.trim())) {
      return {
        error: `${piece.text} (line ${line} of run) is used in ${context.what}, where bash evaluates text as arithmetic and a value such as a[$(cmd)] would run cmd; its value ${quoteForShell('bash', value)} is not a whole number`,
      };
    }
    const name = `${EXPR_ENV_PREFIX}${k}`;
    env[name] = value;
    script += reference(shell, name, context);
    display += shown(shell, value, context);
  }
  return { script, env, display };
}

function reference(shell: ShellName, name: string, context: HoleContext): string {
  switch (shell) {
    case 'bash':
    case 'sh':
    case 'zsh':
      return context.kind === 'code' ? `"\${${name}}"` : `\${${name}}`;
    case 'pwsh':
      return `\${env:${name}}`;
    case 'python':
      // Inside an f-string's replacement field (before Python 3.12) the field may not use the
      // f-string's own quote character.
      return context.kind === 'code' && context.avoidQuote === "'" ? `__import__("os").environ["${name}"]` : `__import__('os').environ['${name}']`;
    case 'node':
      return `process.env.${name}`;
  }
}

/**
 * The value as it would have to be written where it sits, for people and fingerprints: quoted as a
 * word in code, escaped inside double quotes or a heredoc (different values never look the same).
 */
function shown(shell: ShellName, value: string, context: HoleContext): string {
  if (context.kind !== 'interpolated') return quoteForShell(shell, value);
  if (shell === 'pwsh') return value.replace(/[`"$\u201C\u201D\u201E]/g, (c) => `\`${c}`);
  return context.within === 'heredoc' ? value.replace(/[\\$`]/g, (c) => `\\${c}`) : value.replace(/[\\$`"]/g, (c) => `\\${c}`);
}

function literalProblem(shell: ShellName, source: string, line: number, what: string): string {
  const where = `${source} (line ${line} of run) is inside ${what}`;
  if (shell === 'python' || shell === 'node') {
    const example = shell === 'python' ? `'Hello ' + ${source}, or f'Hello {${source}}'` : `'Hello ' + ${source}`;
    return `${where}, where it would be pasted as text into the program; write it where an expression may stand (${example}): it becomes a string`;
  }
  return `${where}, where the shell expands nothing, so its value would be pasted into text that is often code for another program (awk, python -c, ssh, a heredoc); write it outside the quotes (it becomes one word by itself), or pass it through env: and read the variable`;
}

function forEachExpr(pieces: readonly TemplatePiece[], fn: (piece: TemplatePiece, k: number, line: number) => void): void {
  let k = 0;
  let line = 1;
  for (const piece of pieces) {
    if (piece.kind === 'text') line += countNewlines(piece.text);
    else fn(piece, k++, line);
  }
}

function toScan(pieces: readonly TemplatePiece[]): HoleScan {
  let text = '';
  const holes: number[] = [];
  for (const piece of pieces) {
    if (piece.kind === 'text') text += piece.text;
    else {
      holes.push(text.length);
      text += PLACEHOLDER;
    }
  }
  return { text, holes };
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
