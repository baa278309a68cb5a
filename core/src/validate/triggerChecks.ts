import * as l10n from '@vscode/l10n';
import { diagnostic, type Diagnostic } from '../model/diagnostic.ts';
import type { Pipeline } from '../model/pipeline.ts';

/** Whether a pipeline file, as written in `after:` (relative to the checked file's folder), exists; undefined when unknown. */
export type PipelineExists = (relativePath: string) => boolean | undefined;

/** `after:` naming the file itself, or a file that is not there. */
export function checkAfterTargets(pipeline: Pipeline, fileName: string | undefined, exists: PipelineExists | undefined, report: (d: Diagnostic) => void): void {
  const self = fileName === undefined ? undefined : baseName(fileName);
  for (const trigger of pipeline.triggers) {
    const after = trigger.after;
    if (after === undefined) continue;
    const target = normalizeRelative(after.value);
    if (self !== undefined && target === self) {
      report(diagnostic('chaining-cycle', 'error', after.span, l10n.t('Trigger \'{0}\' chains this pipeline after itself: each run would start the next, forever.', trigger.name)));
      continue;
    }
    if (exists?.(after.value.trim()) === false) {
      report(diagnostic('unknown-pipeline', 'error', after.span, l10n.t('Trigger \'{0}\' waits for \'{1}\', and there is no such pipeline file next to this one.', trigger.name, after.value.trim())));
    }
  }
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** `./a.pipeline.yaml` → `a.pipeline.yaml`; paths into other folders keep their folders. */
export function normalizeRelative(path: string): string {
  return path.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}
