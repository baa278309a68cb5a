import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableDrivers, type NewRun } from '../../core/src/store/index.ts';

export const root = join(import.meta.dirname, '..', '..');

/** Both drivers must load on the project's runtime (Node 24); a missing one fails loudly rather than skipping. */
export const DRIVERS = ['better-sqlite3', 'node:sqlite'] as const;
const missing = DRIVERS.filter((d) => !availableDrivers().includes(d));
if (missing.length > 0) throw new Error(`SQLite driver(s) ${missing.join(', ')} cannot load on Node ${process.version}; run tests through scripts/node24.sh`);

export function tempFolder(prefix = 'ps-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    pipelineName: 'etl',
    pipelineFile: '/work/example/etl.pipeline.yaml',
    trigger: 'cli',
    mode: 'all',
    selection: [],
    sourceRunId: undefined,
    variables: { region: 'eu', rows: 10, dry: false },
    git: { commit: 'a3f9e2b', branch: 'main', dirty: true },
    ...overrides,
  };
}

/** Runs a fixture script under this same Node, with the TS executed directly. */
export function fixture(name: string): string {
  return join(import.meta.dirname, 'fixtures', name);
}
