import { join } from 'node:path';
import { DetailsRecorder, type RecorderOptions } from '../../core/src/details/recorder.ts';
import { DetailsStore } from '../../core/src/details/detailsStore.ts';
import { openStore } from '../../core/src/store/index.ts';
import type { RunStore } from '../../core/src/store/types.ts';
import { runFile, tempDir, type Finished, type RunOptions } from '../runner/support.ts';

export interface Recorded extends Finished {
  recorder: DetailsRecorder;
  details: DetailsStore;
}

/** A real run with the details recorder attached the way the CLI and the service attach it. */
export async function recordRun(file: string, options: RunOptions & { store?: RunStore; recorder?: Partial<RecorderOptions> } = {}): Promise<Recorded> {
  const store = options.store ?? openStore(join(tempDir('ps-details-'), 'runs.sqlite'));
  const recorder = new DetailsRecorder({ store, file, git: options.git === true, ...options.recorder });
  const finished = await runFile(file, { ...options, store, onEvent: (e) => recorder.observe(e) });
  await recorder.settled();
  if (recorder.error !== undefined) throw new Error(recorder.error);
  return { ...finished, recorder, details: DetailsStore.open(store) };
}
