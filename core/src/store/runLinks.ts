import { ExecutionLinks, type PageLinks } from './executionLinks.ts';
import type { RunRecord, RunStore } from './types.ts';

/** A run's place among runs: its profile, whether it is a test run, its parent and child runs (`show`, `show --json`, `export --format json`). */
export interface RunLinks {
  profile: string | undefined;
  /** Recorded with trigger `test` (`run --test`): left out of success rates unless asked for. */
  test: boolean;
  /** The run whose `pipeline:` block started this one. */
  parent: { runId: number; block: string } | undefined;
  /** The runs this one's `pipeline:` blocks started, oldest first (a retried block has one per attempt). */
  children: { runId: number; block: string; status: RunRecord['status'] | undefined }[];
}

/** One run's links, on a connection opened for it. */
export function readRunLinks(store: RunStore, run: RunRecord): RunLinks {
  const links = ExecutionLinks.open(store, { readonly: store.readonly });
  try {
    return pageRunLinks(links.linksOf([run.id]), run);
  } finally {
    links.close();
  }
}

/** A run's links out of its page's (ExecutionLinks.linksOf). */
export function pageRunLinks(page: PageLinks, run: RunRecord): RunLinks {
  const parent = page.parents.get(run.id);
  return {
    profile: page.profiles.get(run.id),
    test: run.trigger === 'test',
    parent: parent === undefined ? undefined : { runId: parent.parentRunId, block: parent.parentBlock },
    children: (page.children.get(run.id) ?? []).map((c) => ({ runId: c.childRunId, block: c.parentBlock, status: c.status })),
  };
}

/** `show --json`'s record (and each of `export --format json --details`'s): the links beside the run, null where there is none. */
export function runJson<B, D>(run: RunRecord, links: RunLinks, blockRuns: B, details: D): Record<string, unknown> {
  return { run, profile: links.profile ?? null, test: links.test, parent: links.parent ?? null, children: links.children, blockRuns, details };
}
