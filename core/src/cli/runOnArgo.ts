import { runOnArgo } from '../executors/argo/runOnArgo.ts';
import { cancelOnSignal } from './cancelOnSignal.ts';
import { isArgoRun } from '../executors/argo/argoRunHandle.ts';
import { statusStyle } from '../model/status.ts';
import { prepareRun, type PrepareOptions } from '../runner/prepare.ts';
import type { RunStore } from '../store/types.ts';
import { formatTable } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

/**
 * True when `run --executor NAME` names an argo profile and the whole pipeline runs: it goes to Argo
 * as one Workflow. A partial run goes to the engine, which refuses it with the way out.
 */
export function isArgoProfile(options: PrepareOptions, name: string | undefined): boolean {
  return (options.selection === undefined || options.selection.mode === 'all') && isArgoRun(options, name);
}

/**
 * `run FILE --executor K8S` for an argo profile: submits the compiled Workflow and follows it with
 * the same terminal output as a local run (statuses, each attempt's log once fetched, the summary).
 * Ctrl+C terminates the workflow (`shutdown: Terminate`) and exits 130.
 */
export async function executeOnArgo(io: CliIo, options: PrepareOptions & { store: RunStore; executor: string }): Promise<number> {
  const prepared = prepareRun(options, options.store);
  const width = Math.max(...prepared.pipeline.blocks.map((b) => b.id.length));
  const line = (block: string, text: string): void => io.out(`${block.padEnd(width)} | ${text}`);
  const run = await runOnArgo({
    store: options.store, file: prepared.file, pipeline: prepared.pipeline, executor: options.executor, variables: prepared.variables,
    onStatus: (block, status, reason, attempt) => {
      if (status === 'initial' || status === 'queued') return;
      const style = statusStyle(status);
      line(block, status === 'running' ? `▶ started${attempt > 1 ? ` (attempt ${attempt})` : ''}` : `${style.glyph} ${style.label}${reason !== undefined && status !== 'completed' ? ` (${reason})` : ''}`);
    },
    onOutput: (block, text) => {
      for (const l of text.replace(/\n$/, '').split('\n')) line(block, l);
    },
  });
  io.out(`Run #${run.runId} of ${prepared.pipeline.name} on Argo: workflow ${run.workflow}`);
  const { result: end, interrupted } = await cancelOnSignal(io, '\nTerminating the workflow (shutdown: Terminate)…', () => run.cancel(), run.done);
  const latest = new Map(options.store.blockRuns(run.runId).map((b) => [b.block, b]));
  const rows = [...latest.values()].map((b) => [b.block, statusStyle(b.status).label, String(b.attempt), b.status === 'completed' ? '' : (b.reason ?? '')]);
  io.out('');
  for (const l of formatTable(['block', 'status', 'attempts', 'reason'], rows, new Set([2]))) io.out(l);
  io.out(`Run #${run.runId} ${statusStyle(end.status).label}${end.error !== undefined ? ` (${end.error})` : ''}.`);
  if (end.status === 'completed') return 0;
  return interrupted && end.status === 'cancelled' ? 130 : 1;
}
