import type { BlockStatus } from '../store/types.ts';

// How far a fan-out block's items are, as the graph node and the Runs tree show it: `34/40 ✓ 2 ✗`
// (34 of 40 items done well, 2 failed). No imports at run time, so the webview bundles it too.

export interface ItemProgress {
  total: number;
  counts: Partial<Record<BlockStatus, number>>;
}

export function progressText(progress: ItemProgress): string {
  const { counts, total } = progress;
  const ok = (counts.completed ?? 0) + (counts.cached ?? 0);
  const failed = counts.failed ?? 0;
  const cancelled = (counts.cancelled ?? 0) + (counts.upstream_failed ?? 0);
  const running = counts.running ?? 0;
  return [`${ok}/${total} ✓`, failed > 0 ? `${failed} ✗` : '', cancelled > 0 ? `${cancelled} ⊘` : '', running > 0 ? `${running} ↻` : ''].filter((s) => s !== '').join(' ');
}
