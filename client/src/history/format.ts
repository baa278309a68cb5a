import type { BlockRunRecord, BlockStatus, RunStatus, RunSummary } from '../../../core/src/store/types.ts';
import { formatElapsed } from '../../../core/src/util/duration.ts';
import { statusCounts, statusLabel, statusStyle } from '../../../core/src/model/status.ts';
import { executorLabel } from '../../../core/src/executors/label.ts';

// Text of the history tree's items, free of VS Code so that tests check it directly.

export interface StatusIcon {
  /** A codicon id (`sync~spin` animates). */
  id: string;
  /** A theme color id, so that the icon follows the user's theme. */
  color: string | undefined;
}

export function statusIcon(status: RunStatus | BlockStatus): StatusIcon {
  const style = statusStyle(status);
  return { id: style.codicon, color: style.themeColor };
}

/** `just now`, `5 min ago`, `3 h ago`, `2 days ago`, then the date. */
export function formatAgo(at: number, now: number): string {
  const seconds = Math.floor((now - at) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 30) return days === 1 ? 'yesterday' : `${days} days ago`;
  return new Date(at).toISOString().slice(0, 10);
}

/** How long something ran; one still running counts up to now. */
export function spanOf(startedAt: number | undefined, finishedAt: number | undefined, now: number): number | undefined {
  return startedAt === undefined ? undefined : Math.max(0, (finishedAt ?? now) - startedAt);
}

export function gitText(git: RunSummary['git']): string | undefined {
  if (git === undefined) return undefined;
  const commit = git.commit.slice(0, 7);
  return `${git.branch === undefined ? commit : `${git.branch}@${commit}`}${git.dirty ? '*' : ''}`;
}

export function runLabel(run: Pick<RunSummary, 'id' | 'status'>): string {
  return `#${run.id} ${statusLabel(run.status)}`;
}

/** `2m 03s · 5 min ago · main@a3f9e2b`; parts that are unknown are left out. */
export function runDescription(run: RunSummary, now: number): string {
  const span = spanOf(run.startedAt, run.finishedAt, now);
  const parts = [span === undefined ? undefined : formatElapsed(span), formatAgo(run.startedAt ?? run.createdAt, now), gitText(run.git)];
  return parts.filter((part) => part !== undefined).join(' · ');
}

export function countsText(counts: RunSummary['counts']): string {
  const parts = statusCounts(counts);
  return parts.length === 0 ? 'no blocks yet' : parts.join(', ');
}

/** Markdown for the run's tooltip; every value from the store is escaped, since variables and errors are arbitrary text. */
export function runTooltip(run: RunSummary, now: number): string {
  const span = spanOf(run.startedAt, run.finishedAt, now);
  const rows: [string, string][] = [
    ['Pipeline', `${run.pipelineName} (${run.pipelineFile})`],
    ['Trigger', run.sourceRunId === undefined ? run.trigger : `${run.trigger} of #${run.sourceRunId}`],
    ['Mode', run.selection.length === 0 ? run.mode : `${run.mode}: ${run.selection.join(', ')}`],
    ['Started', new Date(run.startedAt ?? run.createdAt).toLocaleString()],
    ['Duration', span === undefined ? 'not started' : formatElapsed(span)],
    ['Git', run.git === undefined ? 'not in a git work tree' : `${run.git.branch ?? '(detached)'} @ ${run.git.commit}${run.git.dirty ? ' (uncommitted changes)' : ''}`],
    ['Blocks', countsText(run.counts)],
  ];
  const variables = Object.entries(run.variables);
  const lines = [`**${escapeMarkdown(`#${run.id} ${run.pipelineName}`)}: ${escapeMarkdown(statusLabel(run.status))}**`, ''];
  for (const [name, value] of rows) lines.push(`- ${name}: ${escapeMarkdown(value)}`);
  if (variables.length > 0) {
    lines.push('', 'Variables:', '');
    for (const [name, value] of variables) lines.push(`- ${escapeMarkdown(name)} = ${escapeMarkdown(JSON.stringify(value))}`);
  }
  if (run.error !== undefined) lines.push('', `Error: ${escapeMarkdown(run.error)}`);
  return lines.join('\n');
}

/** `failed · 3.2s · attempt 2 · exit 1 · timeout` for a block run's description. */
export function blockRunDescription(blockRun: BlockRunRecord, now: number): string {
  const span = spanOf(blockRun.startedAt, blockRun.finishedAt, now);
  const parts = [statusLabel(blockRun.status)];
  if (span !== undefined) parts.push(formatElapsed(span));
  if (blockRun.attempt > 1) parts.push(`attempt ${blockRun.attempt}`);
  if (blockRun.exitCode !== undefined && blockRun.exitCode !== 0) parts.push(`exit ${blockRun.exitCode}`);
  if (blockRun.signal !== undefined) parts.push(blockRun.signal);
  // The engine's reason for a plain non-zero exit repeats the exit code.
  if (blockRun.reason !== undefined && blockRun.reason !== `exit code ${blockRun.exitCode ?? ''}`) parts.push(blockRun.reason);
  return parts.join(' · ');
}

export function blockRunTooltip(blockRun: BlockRunRecord, now: number): string {
  const lines = [`**${escapeMarkdown(blockRun.block)}: ${escapeMarkdown(statusLabel(blockRun.status))}**`, '', `- ${escapeMarkdown(blockRunDescription(blockRun, now))}`];
  const where = executorLabel(blockRun);
  if (where !== undefined) lines.push(`- Ran on ${escapeMarkdown(where)}`);
  const outputs = Object.entries(blockRun.outputs);
  if (outputs.length > 0) {
    lines.push('', 'Outputs:', '');
    for (const [name, value] of outputs) lines.push(`- ${escapeMarkdown(name)} = ${escapeMarkdown(value.length > 200 ? `${value.slice(0, 200)}…` : value)}`);
  }
  if (blockRun.logDroppedBytes > 0) lines.push('', `Log truncated: ${blockRun.logDroppedBytes} bytes dropped in the middle.`);
  return lines.join('\n');
}

/** Backslash-escapes Markdown syntax and neutralises HTML, so stored text shows as typed. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|~<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`)).replace(/\r?\n/g, ' ');
}
