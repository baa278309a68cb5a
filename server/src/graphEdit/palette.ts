import type { PaletteItem } from './gesture.ts';

export interface PaletteEntry {
  label: string;
  /** The new block's id, or its start when taken (`_2`, `_3` … are added). */
  baseId: string;
  /** The block's lines, indented relative to its keys' column. */
  body: (id: string) => string[];
}

/**
 * The component library. Each command runs on a bare machine's tools (a shell, python3) or names
 * the one CLI it needs (sqlite3, duckdb, curl); nothing is interpolated into SQL or a URL.
 */
export const PALETTE: Record<PaletteItem, PaletteEntry> = {
  shell: { label: 'Shell command', baseId: 'shell', body: (id) => [`run: echo "${id} ran"`] },
  script: { label: 'Script file', baseId: 'script', body: (id) => [`run: bash ./scripts/${id}.sh`] },
  python: {
    label: 'Python',
    baseId: 'python',
    body: (id) => ['shell: python', 'run: |', `  print("${id} ran")`],
  },
  sqlite: {
    label: 'SQL (sqlite3)',
    baseId: 'sqlite_query',
    body: () => ['run: |', "  sqlite3 -bail data.db <<'SQL'", '  SELECT count(*) FROM sqlite_master;', '  SQL'],
  },
  duckdb: {
    label: 'SQL (duckdb)',
    baseId: 'duckdb_query',
    body: () => ['run: |', "  duckdb data.duckdb <<'SQL'", '  SELECT 42 AS answer;', '  SQL'],
  },
  http: {
    label: 'HTTP request (curl)',
    baseId: 'http_request',
    body: (id) => ['timeout: 30s', 'retry: 3', `run: curl --fail --silent --show-error --location https://example.com/ --output ${id}.out`],
  },
  approval: {
    label: 'Approval gate',
    baseId: 'approval_gate',
    // Waits (status waiting) until someone approves it (it runs) or rejects it; blocks that depend on it wait too.
    body: (id) => ['approval:', '  prompt: Go on with the blocks after this one?', '  timeout: 1h', `run: echo "${id} approved"`],
  },
};
