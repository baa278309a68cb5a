/**
 * Where a `${{ }}` sits in a script, as the script's interpreter will read it. The runner replaces
 * each expression with a reference to an environment variable holding its value, and the right
 * form of that reference depends on this (see substitute.ts).
 */
export type HoleContext =
  /** Shells: an unquoted word. Python/Node: a place where an expression may stand. */
  | { kind: 'code'; avoidQuote?: '"' | "'" }
  /** Shells: inside `"…"` or an unquoted heredoc, where `${NAME}` expands once and is not re-parsed. */
  | { kind: 'interpolated'; within: 'double quotes' | 'heredoc' }
  /** Inside text the interpreter takes literally (`'…'`, `$'…'`, a `<<'EOF'` heredoc, a Python/JS string). */
  | { kind: 'literal'; what: string }
  /** Where bash evaluates text as arithmetic, which can run commands (`a[$(cmd)]`). */
  | { kind: 'arithmetic'; what: string }
  | { kind: 'comment' };

/** The script with every expression replaced by one placeholder character, and where they are. */
export interface HoleScan {
  text: string;
  /** Offsets in `text` of the placeholders, one per expression, in order. */
  holes: number[];
}

export const PLACEHOLDER = 'x';
