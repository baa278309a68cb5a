import { statusLabel } from '../model/status.ts';
import { ExecutionLinks } from '../store/executionLinks.ts';
import type { RunRecord, RunStore } from '../store/index.ts';

/** What `show` says of a run's place among runs: its profile, whether it is a test run, its parent and child runs. */
export interface RunLinks {
  profile: string | undefined;
  /** Recorded with trigger `test` (`run --test`): left out of success rates unless asked for. */
  test: boolean;
  /** The run whose `pipeline:` block started this one. */
  parent: { runId: number; block: string } | undefined;
  /** The runs this one's `pipeline:` blocks started, oldest first (a retried block has one per attempt). */
  children: { runId: number; block: string; status: RunRecord['status'] | undefined }[];
}

/** The run's links; `open` is a connection to reuse over many runs (export), else one is opened for this run. */
export function readRunLinks(store: RunStore, run: RunRecord, open?: ExecutionLinks): RunLinks {
  const links = open ?? ExecutionLinks.open(store, { readonly: store.readonly });
  try {
    const parent = links.parentOf(run.id);
    return {
      profile: links.profileOf(run.id),
      test: run.trigger === 'test',
      parent: parent === undefined ? undefined : { runId: parent.parentRunId, block: parent.parentBlock },
      children: links.children(run.id).map((c) => ({ runId: c.childRunId, block: c.parentBlock, status: store.getRun(c.childRunId)?.status })),
    };
  } finally {
    if (open === undefined) links.close();
  }
}

/** `show --json`'s record (and each of `export --format json`'s): the links beside the run, null where there is none. */
export function runJson<B, D>(run: RunRecord, links: RunLinks, blockRuns: B, details: D): Record<string, unknown> {
  return { run, profile: links.profile ?? null, test: links.test, parent: links.parent ?? null, children: links.children, blockRuns, details };
}

/** The `show` fields of the links, beside the run's other fields (`name` is padded by the caller). */
export function linkFields(links: RunLinks): [string, string][] {
  const fields: [string, string][] = [];
  if (links.profile !== undefined || links.test) {
    fields.push(['profile', `${links.profile ?? '-'}${links.test ? ' (a test run: left out of success rates unless asked for)' : ''}`]);
  }
  if (links.parent !== undefined) fields.push(['parent', `run #${links.parent.runId}, block ${links.parent.block}`]);
  if (links.children.length > 0) {
    fields.push(['children', links.children.map((c) => `#${c.runId} (${c.block}, ${c.status === undefined ? 'deleted' : statusLabel(c.status)})`).join(', ')]);
  }
  return fields;
}
