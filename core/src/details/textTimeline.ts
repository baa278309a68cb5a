import type { RunDetails } from './model.ts';

const RUN = '█';
const CRITICAL = '▓';
const WAIT = '·';
const RETRY_WAIT = '░';

/**
 * A text Gantt of a run: one lane per block, scaled to `width` columns; queue waits, attempts and
 * retry waits drawn distinctly, critical-path lanes marked with `*` and drawn with ▓.
 */
export function textTimeline(model: RunDetails, width: number, formatMs: (ms: number) => string): string[] {
  const lanes = model.blocks.filter((b) => b.attempts.some((a) => a.startedAt !== undefined) && b.startedAt !== undefined);
  if (lanes.length === 0) return ['(no block ran)'];
  const t0 = Math.min(...lanes.map((b) => b.readyAt ?? b.startedAt ?? 0));
  const t1 = Math.max(...lanes.map((b) => b.finishedAt ?? b.startedAt ?? t0));
  const span = Math.max(1, t1 - t0);
  const label = Math.min(24, Math.max(5, ...lanes.map((b) => b.block.length)));
  const right = 10;
  const columns = Math.max(10, width - label - right - 4);
  const col = (t: number): number => Math.min(columns - 1, Math.max(0, Math.floor(((t - t0) / span) * columns)));
  const lines = [`${' '.repeat(label + 3)}0${' '.repeat(Math.max(0, columns - 1 - formatMs(span).length))}${formatMs(span)}`];
  for (const b of lanes) {
    const cells: string[] = Array.from({ length: columns }, () => ' ');
    const paint = (from: number, to: number, glyph: string): void => {
      for (let c = col(from); c <= col(Math.max(from, to - 1)); c++) cells[c] = glyph;
    };
    if (b.readyAt !== undefined && b.startedAt !== undefined && b.startedAt > b.readyAt) paint(b.readyAt, b.startedAt, WAIT);
    b.attempts.forEach((a, i) => {
      const next = b.attempts[i + 1];
      if (a.startedAt === undefined) return;
      const end = a.finishedAt ?? t1;
      if (next?.startedAt !== undefined && next.startedAt > end) paint(end, next.startedAt, RETRY_WAIT);
      paint(a.startedAt, end, b.critical ? CRITICAL : RUN);
    });
    const name = b.block.length > label ? `${b.block.slice(0, label - 1)}…` : b.block.padEnd(label);
    const took = b.durationMs === undefined ? '' : formatMs(b.durationMs);
    const slow = b.slow === undefined ? '' : ` ×${b.slow.ratio.toFixed(1)} median`;
    lines.push(`${b.critical ? '*' : ' '} ${name} ${cells.join('')} ${took}${slow}`);
  }
  lines.push('', `  ${RUN} ran  ${CRITICAL} critical (*)  ${WAIT} queued  ${RETRY_WAIT} retry wait`);
  if (model.criticalPath.length > 0) lines.push(`  critical path: ${model.criticalPath.join(' → ')}`);
  return lines;
}
