import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import type { RunStore } from '../../core/src/store/types.ts';
import { startRun, type RunHandle, type RunResult, type StartRunOptions } from '../../core/src/runner/engine.ts';
import type { RunEvent } from '../../core/src/runner/events.ts';

/** Shared by the runner tests: temp folders with a pipeline file, a real SQLite store, a run, its events. */
export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'core', 'src', 'cli', 'main.ts');

const made: string[] = [];
// Every temp folder goes when the test file's process ends, however its tests ended (each file runs
// in a process of its own): a test leaves nothing in $TMPDIR. Synchronous, as an exit handler must be.
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});

export function tempDir(prefix = 'ps-runner-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A folder holding `p.pipeline.yaml` with this text (and any other files given). */
export function pipelineDir(yaml: string, files: Record<string, string> = {}): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'p.pipeline.yaml');
  writeFileSync(file, yaml);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, file };
}

export interface Finished {
  result: RunResult;
  events: RunEvent[];
  store: RunStore;
  /** The stored log of a block's attempt (default: its last). */
  log(block: string, attempt?: number): string;
  block(id: string): RunResult['blocks'][number];
}

export type RunOptions = Omit<StartRunOptions, 'store' | 'file'> & { store?: RunStore; onStart?: (handle: RunHandle, events: RunEvent[]) => void };

/** Runs the pipeline file to the end with a short grace period; the store stays open for inspection. */
export async function runFile(file: string, options: RunOptions = {}): Promise<Finished> {
  const store = options.store ?? openStore(join(tempDir('ps-store-'), 'runs.sqlite'));
  const events: RunEvent[] = [];
  const handle = await startRun({
    graceMs: 300, git: false, ...options, file, store,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
  });
  options.onStart?.(handle, events);
  const result = await handle.done;
  return {
    result, events, store,
    log(block, attempt) {
      const rows = store.blockRuns(result.runId).filter((b) => b.block === block);
      const row = attempt === undefined ? rows[rows.length - 1] : rows.find((b) => b.attempt === attempt);
      if (row === undefined) throw new Error(`no block run of ${block}`);
      return store.readLogs(row.id).map((c) => c.text).join('');
    },
    block(id) {
      const b = result.blocks.find((x) => x.block === id);
      if (b === undefined) throw new Error(`no block ${id}`);
      return b;
    },
  };
}

export async function runYaml(yaml: string, options: RunOptions = {}, files: Record<string, string> = {}): Promise<Finished & { dir: string; file: string }> {
  const { dir, file } = pipelineDir(yaml, files);
  return { ...(await runFile(file, options)), dir, file };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Without a timeout a wait only guards against a hang: under load (two CPU burners beside the suite,
 * load average 16 on 2 cores) starting a service and two blocks took more than 10 s. Give a timeout
 * only where the time is the requirement (a process gone within N s).
 */
export const HANG_MS = 60_000;

export async function waitFor(condition: () => boolean, timeoutMs = HANG_MS, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Whether a process exists and is not a zombie (an orphan killed in a container may linger unreaped). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export function readPid(path: string): number {
  return Number(readFileSync(path, 'utf8').trim());
}
