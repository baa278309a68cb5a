import { basename } from 'node:path';
import { isFinalStatus, isRetryableRun, statusLabel } from '../../../core/src/model/status.ts';
import { LOAD_MORE_RUNS, OPEN_BLOCK_LOG } from './commandIds.ts';
import { blockRunDescription, blockRunTooltip, escapeMarkdown, formatAgo, runDescription, runLabel, runTooltip, statusIcon, type StatusIcon } from './format.ts';
import type { HistoryNode } from './nodes.ts';
import { progressText } from '../../../core/src/model/fanOutProgress.ts';

/**
 * What a tree item shows, as plain data: the VS Code adapter turns it into a TreeItem, and the
 * `getRunsTree` test command returns it as is.
 */
export interface ItemView {
  /** Stable across refreshes, so VS Code keeps expansion and selection. */
  id: string;
  kind: HistoryNode['kind'];
  label: string;
  description: string;
  /** Markdown. */
  tooltip: string;
  icon: StatusIcon;
  /** Space-separated tokens matched by the `view/item/context` menus. */
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  command: { command: string; title: string; arguments: unknown[] } | undefined;
}

export function itemView(node: HistoryNode, now: number, options: { onlyPipeline?: boolean } = {}): ItemView {
  switch (node.kind) {
    case 'folder':
      return {
        id: `folder:${node.entry.storePath}`, kind: node.kind, label: node.entry.name, description: '', tooltip: `Runs recorded in ${escapeMarkdown(node.entry.storePath)}`,
        icon: { id: 'root-folder', color: undefined }, contextValue: 'folder', collapsible: 'expanded', command: undefined,
      };
    case 'pipeline':
      return {
        id: `pipeline:${node.storePath}:${node.file}`, kind: node.kind, label: node.name,
        description: `${basename(node.file)} · ${formatAgo(node.latestAt, now)}`,
        tooltip: `${escapeMarkdown(node.file)}\n\nLatest run: \\#${node.latestRunId} ${escapeMarkdown(statusLabel(node.latestStatus))}`,
        icon: statusIcon(node.latestStatus), contextValue: 'pipeline',
        // A lone pipeline opens by itself: its runs are what the view is for.
        collapsible: options.onlyPipeline === true ? 'expanded' : 'collapsed', command: undefined,
      };
    case 'run': {
      const { run } = node;
      const active = !isFinalStatus(run.status);
      const tokens = ['run', `status:${run.status}`, active ? 'active' : 'finished'];
      if (isRetryableRun(run.status)) tokens.push('retryable');
      return {
        id: `run:${node.storePath}:${run.id}`, kind: node.kind, label: runLabel(run), description: runDescription(run, now), tooltip: runTooltip(run, now),
        icon: statusIcon(run.status), contextValue: tokens.join(' '), collapsible: 'collapsed', command: undefined,
      };
    }
    case 'blockRun': {
      const { record } = node;
      const attemptOf = node.parent.kind === 'blockRun' && record.item === undefined;
      const items = node.items;
      const description = items !== undefined ? `${progressText(items)} · ${blockRunDescription(record, now)}`
        : record.item !== undefined ? `${JSON.stringify(record.item.value)} · ${blockRunDescription(record, now)}` : blockRunDescription(record, now);
      return {
        id: `block:${node.storePath}:${record.id}`, kind: node.kind, label: attemptOf ? `attempt ${record.attempt}` : record.block,
        description, tooltip: blockRunTooltip(record, now), icon: statusIcon(record.status),
        contextValue: `blockRun status:${record.status}${items !== undefined ? ' fanOut' : ''}${record.item !== undefined ? ' item' : ''}`,
        collapsible: node.earlier.length > 0 || items !== undefined ? 'collapsed' : 'none',
        command: { command: OPEN_BLOCK_LOG, title: 'Open Block Log', arguments: [node] },
      };
    }
    case 'loadMore':
      return {
        id: `more:${node.parent.storePath}:${node.parent.file}`, kind: node.kind, label: 'Load more…', description: `${node.parent.runs.length} shown`,
        tooltip: 'Show the next page of older runs', icon: { id: 'ellipsis', color: undefined }, contextValue: 'loadMore', collapsible: 'none',
        command: { command: LOAD_MORE_RUNS, title: 'Load More', arguments: [node] },
      };
    case 'loadMoreItems': {
      const group = node.parent.items;
      return {
        id: `moreItems:${node.parent.storePath}:${node.parent.blockRunId}`, kind: node.kind, label: 'More items…',
        description: `${group?.nodes.length ?? 0} of ${group?.total ?? 0} shown`, tooltip: 'Show the next page of this fan-out\'s items',
        icon: { id: 'ellipsis', color: undefined }, contextValue: 'loadMoreItems', collapsible: 'none',
        command: { command: LOAD_MORE_RUNS, title: 'Load More', arguments: [node] },
      };
    }
    case 'message':
      return {
        id: `message:${node.parent?.entry.storePath ?? ''}:${node.text}`, kind: node.kind, label: node.text, description: node.action?.title ?? '', tooltip: escapeMarkdown(node.detail),
        icon: { id: node.severity === 'error' ? 'error' : 'info', color: node.severity === 'error' ? 'errorForeground' : undefined },
        contextValue: 'message', collapsible: 'none', command: node.action,
      };
  }
}
