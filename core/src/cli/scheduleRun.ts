import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { openStore, StoreError, type RunStore } from '../store/index.ts';
import { TriggerStore } from '../store/triggerStore.ts';
import { watchGlobs } from '../triggers/fileWatch.ts';
import { loadPipelinesApart } from '../triggers/loadApart.ts';
import { preferMemoryToPeakSpeed } from '../triggers/leanRuntime.ts';
import type { LoadedPipeline } from '../triggers/loadPipelines.ts';
import { runOnFailure } from '../triggers/onFailure.ts';
import { releaseLoadMemory } from '../triggers/releaseMemory.ts';
import { Scheduler, type Launcher } from '../triggers/scheduler.ts';
import { findPipelineFiles, PIPELINE_FILE } from './files.ts';
import { resolveStorePath } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

export interface SchedulerCliOptions {
  paths: string[];
  storeOption: string | undefined;
  drain: boolean;
  /** For tests: lease timing. */
  leaseHeartbeatMs?: number;
  leaseStaleMs?: number;
}

const RELOAD_DELAY_MS = 300;

/**
 * `schedule`: the headless scheduler, in the foreground (fit for systemd or a container). Logs each
 * fire and each run's end; re-reads pipeline files as they change; on SIGTERM or SIGINT stops
 * firing, cancels the runs in flight (or lets them finish with --drain), records them, and exits 0.
 */
export async function runScheduler(options: SchedulerCliOptions, io: CliIo): Promise<number> {
  preferMemoryToPeakSpeed();
  const files = findPipelineFiles(options.paths);
  const path = resolveStorePath(options.storeOption, { create: true });
  let store: RunStore;
  let triggers: TriggerStore;
  try {
    store = openStore(path);
    triggers = TriggerStore.open(store);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    io.err(`pipeline-studio schedule: ${error.message}`);
    return 1;
  }
  const log = (line: string): void => io.out(`${new Date().toISOString()} ${line}`);
  const holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let loaded: LoadedPipeline[] = await loadPipelinesApart(files, (line) => io.err(line));
  const launch: Launcher = async (request) => {
    // The engine loads with the first run: a scheduler whose triggers have not fired holds none of it.
    const { RunRefused, startRun } = await import('../runner/index.ts');
    try {
      const handle = await startRun({ file: request.file, store, trigger: request.label, variables: request.variables });
      return { runId: handle.runId, done: handle.done.then((r) => ({ status: r.status, error: r.error })), cancel: () => handle.cancel() };
    } catch (error) {
      if (error instanceof RunRefused) throw new Error(error.problems.join('; '));
      throw error;
    }
  };
  const failures: Promise<unknown>[] = [];
  const scheduler = new Scheduler({
    triggers, holder, launch, log,
    ...(options.leaseHeartbeatMs === undefined ? {} : { leaseHeartbeatMs: options.leaseHeartbeatMs }),
    ...(options.leaseStaleMs === undefined ? {} : { leaseStaleMs: options.leaseStaleMs }),
    watch: (folder, globs, onFile) => watchGlobs(folder, globs, onFile, (error) => log(`watching ${folder}: ${String(error)}`), () => log(`watching ${folder} for ${globs.join(', ')}`)),
    finishRun: (runId, status, error) => store.updateRun(runId, { status, error }),
    onAlert: (alert) => {
      if (alert.kind !== 'failed' && alert.kind !== 'sla') return;
      const entry = loaded.find((l) => l.file === alert.file);
      const trigger = entry?.pipeline.triggers.find((t) => t.name === alert.trigger);
      if (entry === undefined || trigger === undefined || entry.pipeline.onFailure === undefined) return;
      const run = store.getRun(alert.runId);
      failures.push(runOnFailure({
        file: entry.file, pipeline: entry.pipeline, runId: alert.runId, reason: alert.kind, status: run?.status ?? 'failed',
        label: run?.trigger ?? trigger.name, variables: run?.variables ?? trigger.variables,
      }, log));
    },
  });
  log(`scheduler ${holder} on ${store.path}, ${files.length} pipeline file(s)`);
  // Pipeline files change while it runs: re-read them all (a file with errors keeps no triggers).
  // Watched before the triggers start, so that `files:` triggers under these folders share its watcher.
  let reloadTimer: NodeJS.Timeout | undefined;
  let reloading: Promise<void> = Promise.resolve();
  const reload = async (): Promise<void> => {
    log('pipeline files changed; reloading');
    try {
      loaded = await loadPipelinesApart(findPipelineFiles(options.paths), log);
      if (!stopping) scheduler.load(loaded);
      release();
    } catch (error) {
      log(`reload failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  let stopping = false;
  const stopWatching = options.paths.map((p) => watchGlobs(resolve(p), ['**/*.pipeline.yaml', '**/*.pipeline.yml', '*.pipeline.yaml', '*.pipeline.yml'], (file) => {
    if (!PIPELINE_FILE.test(file)) return;
    if (reloadTimer !== undefined) clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => {
      // One reload at a time, in order: the last one reads the files as they are now.
      reloading = reloading.then(reload);
    }, RELOAD_DELAY_MS);
  }));
  scheduler.start(loaded);
  // Arming a thousand triggers (cron and time-zone arithmetic) grows the young generation that the
  // idle scheduler never needs again. The collection pauses the process (a second or more on a
  // loaded machine): only with a lease whose stale period outlasts that.
  const release = (options.leaseHeartbeatMs ?? 5000) >= 2500 ? releaseLoadMemory : () => undefined;
  release();

  const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
    process.once('SIGTERM', () => resolveSignal('SIGTERM'));
    process.once('SIGINT', () => resolveSignal('SIGINT'));
  });
  log(`${signal}: stopping${options.drain ? '; letting runs in flight finish (--drain)' : '; cancelling runs in flight'}`);
  stopping = true;
  if (reloadTimer !== undefined) clearTimeout(reloadTimer);
  await reloading;
  for (const stop of stopWatching) stop();
  await scheduler.stop({ drain: options.drain });
  await Promise.allSettled(failures);
  triggers.close();
  store.close();
  log('stopped');
  return 0;
}
