import { dirname, relative, sep } from 'node:path';
import type { RunComparison } from '../../../core/src/details/compare.ts';
import type { RunDetails } from '../../../core/src/details/model.ts';
import { statusLabel } from '../../../core/src/model/status.ts';
import type { CompareView, DetailsView } from '../../../webview/src/details/protocol.ts';

const nul = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/** The webview's plain-data view of a run's details. */
export function detailsViewOf(model: RunDetails, live: boolean): DetailsView {
  const { run, detail } = model;
  const folder = dirname(run.pipelineFile);
  return {
    runId: run.id, pipelineName: run.pipelineName, pipelineFile: run.pipelineFile, status: run.status, statusLabel: statusLabel(run.status),
    trigger: run.trigger, mode: run.mode, variables: run.variables, createdAt: run.createdAt, startedAt: nul(run.startedAt), finishedAt: nul(run.finishedAt),
    host: detail?.host === undefined ? null : `${detail.host.name} · ${detail.host.os} · ${detail.host.cpus} CPUs · ${detail.host.runtime} · ${detail.host.tool}`,
    git: run.git === undefined ? null : {
      commit: run.git.commit, branch: nul(run.git.branch), dirty: run.git.dirty,
      author: nul(detail?.git?.author), subject: nul(detail?.git?.subject), remote: nul(detail?.git?.remote),
    },
    live,
    blocks: model.blocks.map((b) => ({
      block: b.block, status: b.status, statusLabel: statusLabel(b.status),
      attempts: b.attempts.map((a) => ({ attempt: a.attempt, status: a.status, startedAt: nul(a.startedAt), finishedAt: nul(a.finishedAt) })),
      readyAt: nul(b.readyAt), startedAt: nul(b.startedAt), finishedAt: nul(b.finishedAt), queueWaitMs: nul(b.queueWaitMs), durationMs: nul(b.durationMs),
      executor: nul(b.attempts[b.attempts.length - 1]?.executor),
      exitCode: nul(b.exitCode), reason: nul(b.reason), cpuMs: nul(b.cpuMs), peakRssBytes: nul(b.peakRssBytes), logBytes: b.logBytes, outputs: b.outputs,
      critical: b.critical, slowRatio: b.slow?.ratio ?? null, medianMs: b.slow?.medianMs ?? null,
    })),
    criticalPath: model.criticalPath,
    artifacts: model.artifacts.map((a) => {
      const rel = relative(folder, a.path);
      return {
        block: a.block, direction: a.direction, path: a.path, shownPath: rel.startsWith(`..${sep}`) || rel === '..' ? a.path : rel,
        size: nul(a.size), sha256: nul(a.sha256), note: nul(a.hashNote), changed: nul(a.changed),
        lineage: a.lineageBlockRunId === undefined ? null : `#${String(a.lineageRunId)} ${a.lineageBlock ?? ''}`,
        reused: a.reusedFromRunId === undefined ? null : `cached from run #${String(a.reusedFromRunId)}`,
      };
    }),
    totals: { cpuMs: nul(model.totals.cpuMs), peakRssBytes: nul(model.totals.peakRssBytes) },
    resourcesUnmeasured: model.resourcesUnmeasured,
    definition: nul(detail?.definition),
  };
}

/** The compare page's rows: the same sections as `pipeline-studio compare`. */
export function compareViewOf(c: RunComparison): CompareView {
  const rows: CompareView['rows'] = [];
  const pct = (p: number | null): string => (p === null ? '' : `, ${p > 0 ? '+' : ''}${p}%`);
  rows.push({ section: 'Run', label: 'status', cells: c.runs.map((r) => r.status), differs: new Set(c.runs.map((r) => r.status)).size > 1 });
  rows.push({ section: 'Run', label: 'duration', cells: c.runs.map((r) => (r.durationMs === undefined ? '–' : `${(r.durationMs / 1000).toFixed(2)} s`)), differs: false });
  rows.push({ section: 'Run', label: 'commit', cells: c.runs.map((r) => (r.commit === undefined ? '–' : `${r.commit.slice(0, 10)}${r.dirty === true ? ' +changes' : ''}`)), differs: c.git.differs });
  for (const v of c.variables) rows.push({ section: 'Variables', label: v.name, cells: v.values.map((x) => (x === null ? '–' : String(x))), differs: v.differs });
  for (const o of c.outputs) {
    rows.push({ section: 'Outputs', label: `${o.block}.${o.name}`, differs: o.differs,
      cells: o.values.map((x, i) => `${x ?? '–'}${i > 0 && o.deltas[i]?.delta !== null && o.deltas[i]?.delta !== 0 ? ` (${(o.deltas[i]?.delta ?? 0) > 0 ? '+' : ''}${String(o.deltas[i]?.delta)}${pct(o.deltas[i]?.percent ?? null)})` : ''}`) });
  }
  for (const b of c.blocks) {
    rows.push({ section: 'Blocks', label: b.block, differs: b.differs,
      cells: b.statuses.map((s, i) => `${s ?? '–'} ${b.durationsMs[i] === null || b.durationsMs[i] === undefined ? '' : `${((b.durationsMs[i] ?? 0) / 1000).toFixed(2)} s`}${i > 0 && b.deltas[i]?.delta !== null && b.deltas[i]?.delta !== 0 ? ` (${(b.deltas[i]?.delta ?? 0) > 0 ? '+' : ''}${((b.deltas[i]?.delta ?? 0) / 1000).toFixed(2)} s${pct(b.deltas[i]?.percent ?? null)})` : ''}`) });
  }
  for (const a of c.artifacts) rows.push({ section: 'Artifacts', label: `${a.block} ${a.path}`, cells: a.hashes.map((h) => h?.slice(0, 12) ?? '–'), differs: true });
  c.definition.forEach((d, i) => {
    if (i === 0) return;
    const text = [d.added.length > 0 ? `added ${d.added.join(', ')}` : '', d.removed.length > 0 ? `removed ${d.removed.join(', ')}` : '', d.changed.length > 0 ? `changed ${d.changed.join(', ')}` : ''].filter((s) => s !== '').join('; ');
    if (text !== '') rows.push({ section: 'Definition', label: `#${c.runs[i]?.id ?? ''} vs #${c.runs[0]?.id ?? ''}`, cells: c.runs.map((_, j) => (j === i ? text : '')), differs: true });
  });
  return { heads: c.runs.map((r) => `#${r.id}`), rows, durations: c.blocks.map((b) => ({ block: b.block, ms: b.durationsMs })) };
}
