import * as l10n from '@vscode/l10n';
import { dirname, relative, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../model/diagnostic.ts';
import type { Pipeline } from '../model/pipeline.ts';

export interface ChainedFile {
  /** Absolute path. */
  file: string;
  pipeline: Pipeline;
}

/**
 * Chaining cycles across files (a after b, b after a): each run would start the other, forever.
 * Reported on every `after:` that is part of a cycle, with the cycle's path. Needs every file of
 * the folder, so `validate` of a folder (and the scheduler) run it; one file alone cannot.
 */
export function checkChainCycles(files: readonly ChainedFile[]): Map<string, Diagnostic[]> {
  const byFile = new Map(files.map((f) => [resolve(f.file), f]));
  const edges = new Map<string, { upstream: string; trigger: string; span: Diagnostic['span'] }[]>();
  for (const { file, pipeline } of byFile.values()) {
    const out = pipeline.triggers
      .filter((t) => t.after !== undefined)
      .map((t) => ({ upstream: resolve(dirname(file), (t.after?.value ?? '').trim()), trigger: t.name, span: t.after?.span ?? t.nameSpan }));
    edges.set(file, out);
  }
  const reports = new Map<string, Diagnostic[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const edge of edges.get(file) ?? []) {
      if (!byFile.has(edge.upstream) || edge.upstream === file) continue;
      const seen = state.get(edge.upstream);
      if (seen === 'open') report(stack.slice(stack.indexOf(edge.upstream)));
      else if (seen === undefined) visit(edge.upstream);
    }
    stack.pop();
    state.set(file, 'done');
  };
  const report = (cycle: string[]): void => {
    for (let i = 0; i < cycle.length; i++) {
      // Each file reads the cycle from itself.
      const rotated = [...cycle.slice(i), ...cycle.slice(0, i)];
      const names = [...rotated, rotated[0] ?? ''].map((f) => relative(dirname(rotated[0] ?? ''), f) || f);
      const from = cycle[i] ?? '';
      const to = cycle[(i + 1) % cycle.length] ?? '';
      for (const edge of edges.get(from) ?? []) {
        if (edge.upstream !== to) continue;
        const list = reports.get(from) ?? [];
        list.push(diagnostic('chaining-cycle', 'error', edge.span, l10n.t('Chaining cycle: {0} (→ reads "runs after"); each run would start the next, forever.', names.join(' → '))));
        reports.set(from, list);
      }
    }
  };
  for (const file of [...byFile.keys()].sort()) if (!state.has(file)) visit(file);
  return reports;
}
