import * as l10n from '@vscode/l10n';
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../model/diagnostic.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { readYaml } from '../yaml/readYaml.ts';
import { prescan } from '../text/prescan.ts';
import { buildPipeline } from '../parse/buildPipeline.ts';
import { NodeReader } from '../parse/reader.ts';

/** How many files an include chain may visit before the check stops looking (a guard, not a limit of the format). */
const MAX_FILES = 200;

/** The `pipeline:` files a pipeline file includes, absolute, as its blocks name them. */
export function includedFiles(pipeline: Pipeline, file: string): { block: string; file: string; written: string; span: Diagnostic['span'] }[] {
  return pipeline.blocks.flatMap((b) => {
    const written = b.subPipeline?.file.value.trim();
    return b.subPipeline === undefined || written === undefined ? [] : [{ block: b.id, file: resolve(dirname(file), written), written, span: b.subPipeline.file.span }];
  });
}

/** Reads the blocks of a pipeline file on disk (only its structure); undefined when it cannot be read. */
export function readIncludes(file: string): Pipeline | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pre = prescan(text, undefined);
  if (!pre.parseable) return undefined;
  try {
    return buildPipeline(readYaml(text, pre.tabIndent).root, text, file, new NodeReader(text));
  } catch {
    return undefined;
  }
}

/**
 * Sub-pipelines (issue 17): a `pipeline:` file that does not exist, and a file that includes itself,
 * directly or through others (its runs would start each other forever). Reported on the `pipeline:`
 * value with the chain. Needs the file's absolute path; `exists` tells whether a path (relative to the
 * file's folder) is there.
 */
export function checkSubPipelines(pipeline: Pipeline, fileName: string | undefined, exists: ((path: string) => boolean) | undefined, report: (d: Diagnostic) => void): void {
  if (fileName === undefined || !isAbsolute(fileName) || exists === undefined) return;
  const root = resolve(fileName);
  for (const include of includedFiles(pipeline, root)) {
    if (include.file !== root && !exists(include.written)) {
      report(diagnostic('unknown-pipeline', 'error', include.span, l10n.t('Block \'{0}\' runs \'{1}\', which does not exist.', include.block, include.written)));
      continue;
    }
    const chain = findPathBack(include.file, root);
    if (chain !== undefined) {
      const names = [root, ...chain].map((f) => basename(f));
      report(diagnostic('pipeline-recursion', 'error', include.span, l10n.t('Block \'{0}\' includes this file again: {1}; its runs would start each other forever.', include.block, names.join(' → '))));
    }
  }
}

/** The include path from `start` back to `target` (both ends included), when there is one. */
function findPathBack(start: string, target: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (file: string, path: string[]): string[] | undefined => {
    if (file === target) return [...path, file];
    if (seen.has(file) || seen.size >= MAX_FILES) return undefined;
    seen.add(file);
    const pipeline = readIncludes(file);
    if (pipeline === undefined) return undefined;
    for (const next of includedFiles(pipeline, file)) {
      const found = walk(next.file, [...path, file]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(start, []);
}
