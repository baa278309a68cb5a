import * as l10n from '@vscode/l10n';
import { diagnostic, type Diagnostic } from '../model/diagnostic.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { Dag } from '../graph/dag.ts';
import { didYouMean } from '../util/didYouMean.ts';
import type { UnknownDependency } from './brokenChains.ts';

/** Unknown, self and duplicate dependencies; returns the unknown ones, for the reference checks. */
export function checkDependencies(pipeline: Pipeline, report: (d: Diagnostic) => void): UnknownDependency[] {
  const ids = [...pipeline.blockById.keys()];
  const unknown: UnknownDependency[] = [];
  for (const block of pipeline.blocks) {
    const seen = new Map<string, { start: number; end: number }>();
    for (const dep of block.dependsOn) {
      if (dep.name === block.id) {
        report(diagnostic('self-dependency', 'error', dep.span, l10n.t('Block \'{0}\' depends on itself.', block.id)));
        continue;
      }
      const first = seen.get(dep.name);
      if (first !== undefined) {
        report(diagnostic('duplicate-dependency', 'warning', dep.span, l10n.t('\'{0}\' is already listed in depends_on.', dep.name), {
          related: [{ span: first, message: l10n.t('first listed here') }],
          tags: ['unnecessary'],
        }));
        continue;
      }
      seen.set(dep.name, dep.span);
      if (!pipeline.blockById.has(dep.name)) {
        const suggestion = didYouMean(dep.name, ids.filter((id) => id !== block.id));
        unknown.push({ block: block.id, name: dep.name, suggestion });
        report(diagnostic('unknown-dependency', 'error', dep.span,
          l10n.t('Unknown block \'{0}\' in depends_on of \'{1}\'.{2}', dep.name, block.id, suggestion !== undefined ? l10n.t(' Did you mean \'{0}\'?', suggestion) : ''),
          suggestion === undefined ? undefined : { suggestion }));
      }
    }
  }
  return unknown;
}

/** Every cycle, reported on each `depends_on` entry that forms it, with the whole path. */
export function checkCycles(pipeline: Pipeline, dag: Dag, report: (d: Diagnostic) => void): void {
  for (const cycle of dag.cycles()) {
    const path = [...cycle, cycle[0]].join(' → ');
    for (let k = 0; k < cycle.length; k++) {
      const from = pipeline.blockById.get(cycle[k] ?? '');
      const to = cycle[(k + 1) % cycle.length];
      const entry = from?.dependsOn.find((d) => d.name === to);
      if (entry === undefined) continue;
      report(diagnostic('dependency-cycle', 'error', entry.span, l10n.t('Dependency cycle: {0} (→ reads "depends on").', path)));
    }
  }
}

/** Two blocks writing the same cached output would overwrite each other's results. */
export function checkCacheOutputs(pipeline: Pipeline, report: (d: Diagnostic) => void): void {
  const owners = new Map<string, { block: string; span: { start: number; end: number } }>();
  for (const block of pipeline.blocks) {
    for (const output of block.cache?.outputs ?? []) {
      const path = output.value.trim().replace(/^(\.\/)+/, '').replace(/\/+$/, '');
      const first = owners.get(path);
      if (first === undefined) {
        owners.set(path, { block: block.id, span: output.span });
        continue;
      }
      if (first.block === block.id) continue;
      report(diagnostic('duplicate-cache-output', 'warning', output.span,
        l10n.t('Blocks \'{0}\' and \'{1}\' both declare the cache output \'{2}\'; a cache hit of one would restore the other\'s file.', first.block, block.id, path),
        { related: [{ span: first.span, message: l10n.t('declared by \'{0}\' here', first.block) }] }));
    }
  }
}
