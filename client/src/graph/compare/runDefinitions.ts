import { DetailsStore } from '../../../../core/src/details/detailsStore.ts';
import { openStore } from '../../../../core/src/store/index.ts';
import type { RunChoice } from '../../../../webview/src/protocol.ts';
import { runChoices } from '../runState.ts';

/** A run whose definition (the pipeline text it ran) was recorded: one compare mode can use as a base. */
export interface RecordedRun {
  runId: number;
  label: string;
}

/**
 * The runs of one pipeline file that kept their definition, newest first (issue 16 records the
 * text with each run; runs made before that, or whose recording failed, have none). VS-Code-free:
 * a read-only connection of its own for one read, closed before returning.
 */
export function recordedRuns(storePath: string, pipelineFile: string, now = Date.now()): RecordedRun[] {
  return withStores(storePath, (choices, details) =>
    choices(pipelineFile, now)
      .filter((run) => details.runDetail(run.runId)?.definition !== undefined)
      .map((run) => ({ runId: run.runId, label: run.label })),
  ) ?? [];
}

/** The pipeline text run `runId` ran; undefined when it was not recorded (or there is no store yet). */
export function recordedDefinition(storePath: string, runId: number): string | undefined {
  return withStores(storePath, (_choices, details) => details.runDetail(runId)?.definition);
}

function withStores<T>(storePath: string, fn: (choices: (file: string, now: number) => RunChoice[], details: DetailsStore) => T): T | undefined {
  let store;
  try {
    store = openStore(storePath, { readonly: true });
  } catch {
    // No store yet (no run has been made): nothing recorded.
    return undefined;
  }
  try {
    const opened = store;
    const details = DetailsStore.open(opened);
    try {
      return fn((file, now) => runChoices(opened, file, now), details);
    } finally {
      details.close();
    }
  } finally {
    store.close();
  }
}
