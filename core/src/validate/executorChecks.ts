import * as l10n from '@vscode/l10n';
import { diagnostic, type Diagnostic } from '../model/diagnostic.ts';
import { BUILTIN_EXECUTOR } from '../model/executors.ts';
import type { Named, Pipeline } from '../model/pipeline.ts';
import type { WorkspaceExecutors } from '../parse/workspaceExecutors.ts';
import { didYouMean } from '../util/didYouMean.ts';

/** Every `executor:` (top-level and per block) must name `local` or a profile under `executors:`. */
export function checkExecutorNames(pipeline: Pipeline, report: (d: Diagnostic) => void, workspace?: WorkspaceExecutors): void {
  const names = [BUILTIN_EXECUTOR, ...pipeline.executors.keys()];
  // A profile with mistakes of its own is reported there; naming it is not a second mistake.
  const written = pipeline.root?.pairs.find((p) => p.key.value === 'executors')?.value;
  const declared = new Set(written?.kind === 'map' ? written.pairs.map((p) => String(p.key.value)) : []);
  const broken = workspace !== undefined && workspace.diagnostics.some((d) => d.severity === 'error') ? ` (${workspace.path} has errors, so none of its profiles are used)` : '';
  if (broken === '') for (const name of workspace?.profiles.keys() ?? []) declared.add(name);
  const check = (named: Named | undefined, where: string): void => {
    if (named === undefined || named.name === BUILTIN_EXECUTOR || declared.has(named.name)) return;
    const suggestion = didYouMean(named.name, names);
    const hint = suggestion === undefined ? l10n.t(' Known: {0}.', names.join(', ')) : l10n.t(' Did you mean \'{0}\'?', suggestion);
    report(diagnostic('unknown-executor', 'error', named.span, l10n.t('{0} names executor \'{1}\', which is not `local` nor a profile under `executors`.{2}{3}', where, named.name, hint, broken),
      suggestion === undefined ? undefined : { suggestion }));
  };
  check(pipeline.executor, 'The pipeline\'s `executor`');
  for (const block of pipeline.blocks) check(block.executor, `Block '${block.id}'`);
}
