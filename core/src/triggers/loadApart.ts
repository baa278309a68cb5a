import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedPipeline } from './loadPipelines.ts';

/**
 * The loader's script: the bundle beside this code (dist/triggerLoader.cjs) or, running from the
 * sources, loadWorker.ts; undefined when neither is there.
 */
function loaderScript(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return ['triggerLoader.cjs', 'loadWorker.ts'].map((name) => join(here, name)).find((path) => existsSync(path));
}

/**
 * loadPipelines in a short-lived child process. The long-lived headless scheduler then keeps only
 * the compact trigger data: the YAML parser, the validator and the ~40 KB of garbage each file
 * makes never enter its heap, and all of it is given back when the child exits. (A worker thread
 * would not do: its native allocations stay in the process's malloc arenas, ~11 MB for even an
 * empty worker; loading in this heap and collecting kept ~30 MB more for 200 files —
 * bench/triggers.ts.) Falls back to loading here when the child cannot run.
 */
export async function loadPipelinesApart(files: readonly string[], log?: (line: string) => void): Promise<LoadedPipeline[]> {
  const script = loaderScript();
  if (script !== undefined && files.length > 0) {
    try {
      return await new Promise<LoadedPipeline[]>((resolve, reject) => {
        // `advanced`: the structured clone keeps the trigger data's Sets (days of the week).
        const child = fork(script, [...files], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
        let result: LoadedPipeline[] | undefined;
        let stderr = '';
        child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
        child.once('message', (loaded) => (result = loaded as LoadedPipeline[]));
        child.once('error', reject);
        child.once('exit', (code, signal) => (result === undefined ? reject(new Error(`the loader exited (${signal ?? code}) ${stderr.trim()}`)) : resolve(result)));
      });
    } catch (error) {
      log?.(`could not load the pipelines in a child process, loading them here: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const { loadPipelines } = await import('./loadPipelines.ts');
  return loadPipelines(files);
}
