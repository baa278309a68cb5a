import type { BlockStatus, RunStatus } from '../store/types.ts';

/** A parsed query: terms combined with and/or/not. `undefined` (an empty query) matches every run. */
export type QueryNode =
  | { kind: 'and' | 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode }
  | { kind: 'term'; term: Term; column: number };

export type Comparison = '=' | '!=' | '>' | '>=' | '<' | '<=';

/** A value compared with `=`, `>`, …: as a number when it reads as one. */
export interface Compared {
  op: Comparison;
  text: string;
  number: number | undefined;
}

export type Term =
  | { key: 'pipeline'; names: string[]; files: string[] }
  | { key: 'status'; statuses: RunStatus[] }
  | { key: 'trigger'; triggers: string[] }
  | { key: 'branch'; branches: string[] }
  | { key: 'commit'; prefix: string }
  | { key: 'dirty'; dirty: boolean }
  | { key: 'var'; name: string; compare: Compared }
  | { key: 'property'; block: string | undefined; name: string; compare: Compared }
  | { key: 'block'; block: string; statuses: BlockStatus[] | undefined }
  /** Start time in [from, to); either end may be open. */
  | { key: 'date'; from: number | undefined; to: number | undefined }
  | { key: 'duration'; op: Exclude<Comparison, '!='>; ms: number }
  | { key: 'error'; text: string }
  /** The runs of one `run --for-each` batch. */
  | { key: 'batch'; batches: string[] }
  | { key: 'id'; id: number }
  /** A bare word or "quoted phrase": a substring of the name, file, branch, commit, trigger, variables or a failure reason. */
  | { key: 'text'; text: string };

export type TermKey = Term['key'];

/** The keys a user may type (`id` and `text` are not keys: `#42` and bare words). */
export const QUERY_KEYS = ['pipeline', 'status', 'trigger', 'branch', 'commit', 'dirty', 'var', 'property', 'block', 'date', 'duration', 'error', 'batch'] as const;
