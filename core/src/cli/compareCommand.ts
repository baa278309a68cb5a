import { compareRuns, type Delta, type RunComparison } from '../details/compare.ts';
import { DetailsStore } from '../details/detailsStore.ts';
import { loadRunDetails, type RunDetails } from '../details/model.ts';
import { formatDuration } from '../util/duration.ts';
import { UsageError } from './files.ts';
import { formatTable, formatTime, parseCommandArgs, parseRunId, resolveStorePath, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = 'Usage: pipeline-studio compare RUN RUN [RUN…] [--json] [--store PATH]   (2 to 5 runs; RUN: a run number, or latest)';

/** `compare`: 2–5 runs side by side; differences against the first run (the baseline). */
export async function compareCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, store: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length < 2 || positionals.length > 5) throw new UsageError(`compare takes 2 to 5 runs, not ${positionals.length}.\n${USAGE}`);
  const path = resolveStorePath(values.store);
  const notFound = (which: string): number => {
    io.err(`pipeline-studio compare: run ${which} not found (${path}).`);
    return 1;
  };
  return withCliStore(io, 'compare', path, (store) => {
    const details = DetailsStore.open(store);
    try {
      const models: RunDetails[] = [];
      for (const text of positionals) {
        const id = parseRunId(text, store, USAGE);
        const model = id === undefined ? undefined : loadRunDetails(store, details, id);
        if (model === undefined) return notFound(text);
        models.push(model);
      }
      const comparison = compareRuns(models);
      if (values.json === true) io.out(JSON.stringify(comparison, null, 2));
      else for (const line of describeComparison(comparison)) io.out(line);
      return 0;
    } finally {
      details.close();
    }
  }, () => notFound(positionals[0] ?? ''));
}

export function describeComparison(c: RunComparison): string[] {
  const lines: string[] = [];
  const heads = c.runs.map((r) => `#${r.id}`);
  const table = (title: string, header: string[], rows: string[][]): void => {
    if (rows.length === 0) return;
    lines.push('', title);
    for (const line of formatTable(header, rows)) lines.push(`  ${line}`);
  };
  table('Runs', ['', ...heads], [
    ['status', ...c.runs.map((r) => r.status)],
    ['started', ...c.runs.map((r) => formatTime(r.startedAt))],
    ['duration', ...c.runs.map((r) => (r.durationMs === undefined ? '-' : formatDuration(r.durationMs)))],
    ['commit', ...c.runs.map((r) => (r.commit === undefined ? '-' : `${r.commit.slice(0, 7)}${r.dirty === true ? '+' : ''}`))],
    ['trigger', ...c.runs.map((r) => r.trigger)],
  ]);
  const mark = (differs: boolean, name: string): string => `${differs ? '≠ ' : '  '}${name}`;
  table('Variables (≠ differs)', ['', ...heads], c.variables.map((v) => [mark(v.differs, v.name), ...v.values.map((x) => (x === null ? '-' : String(x)))]));
  table('Outputs (delta against the first)', ['', ...heads], c.outputs.map((o) => [mark(o.differs, `${o.block}.${o.name}`), ...o.values.map((x, i) => `${x ?? '-'}${i === 0 ? '' : deltaText(o.deltas[i], String)}`)]));
  table('Blocks (status, duration, delta)', ['', ...heads], c.blocks.map((b) => [
    mark(b.differs, b.block),
    ...b.statuses.map((s, i) => `${s ?? '-'} ${b.durationsMs[i] === null || b.durationsMs[i] === undefined ? '' : formatDuration(b.durationsMs[i])}${i === 0 ? '' : deltaText(b.deltas[i], (n) => `${n < 0 ? '-' : ''}${formatDuration(Math.abs(n))}`)}`),
  ]));
  table('Artifacts that differ (sha256)', ['block', 'path', ...heads], c.artifacts.map((a) => [a.block, a.path, ...a.hashes.map((h) => h?.slice(0, 12) ?? '-')]));
  if (c.git.differs) {
    const commits = c.git.commits.filter((x): x is string => x !== null);
    lines.push('', `Git: different commits; see them with: git diff ${commits[0]?.slice(0, 12) ?? ''} ${commits[commits.length - 1]?.slice(0, 12) ?? ''}`);
  }
  const defs = c.definition.slice(1).map((d, i) => ({ d, run: heads[i + 1] ?? '' })).filter(({ d }) => d.added.length + d.removed.length + d.changed.length > 0);
  if (defs.length > 0) {
    lines.push('', `Definition against ${heads[0] ?? ''}`);
    for (const { d, run } of defs) {
      const parts = ([['added', d.added], ['removed', d.removed], ['changed', d.changed]] as const).filter(([, ids]) => ids.length > 0);
      lines.push(`  ${run}: ${parts.map(([what, ids]) => `${what} ${ids.join(', ')}`).join('; ')}`);
    }
  }
  return lines;
}

function deltaText(delta: Delta | undefined, format: (n: number) => string): string {
  if (delta === undefined || delta.delta === null || delta.delta === 0) return '';
  return ` (${delta.delta > 0 ? '+' : ''}${format(delta.delta)}${delta.percent === null ? '' : `, ${delta.percent > 0 ? '+' : ''}${delta.percent}%`})`;
}
