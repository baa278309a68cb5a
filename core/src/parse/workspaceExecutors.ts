import * as l10n from '@vscode/l10n';
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { diagnostic, type Diagnostic } from '../model/diagnostic.ts';
import type { ExecutorProfile } from '../model/executors.ts';
import { prescan } from '../text/prescan.ts';
import { readYaml } from '../yaml/readYaml.ts';
import { didYouMean } from '../util/didYouMean.ts';
import { readProfiles } from './readExecutors.ts';
import { NodeReader } from './reader.ts';

/**
 * `.pipelines/executors.yaml`: executor profiles of one workspace (a cluster account, a partition,
 * a registry), kept out of version control with the rest of `.pipelines/`. Same shape as a
 * pipeline's `executors:`. A pipeline's profiles and these are merged by name and **the
 * workspace's file wins**: it is the machine-local override, as a developer's `.env` overrides
 * defaults, so a committed pipeline can name `gpu` and each workspace say what `gpu` is here.
 */
export const WORKSPACE_EXECUTORS_FILE = join('.pipelines', 'executors.yaml');

export interface ExecutorsFileResult {
  /** The valid profiles; a profile with errors is left out (and reported). */
  profiles: Map<string, ExecutorProfile>;
  /** Sorted by position, in the executors file. */
  diagnostics: Diagnostic[];
}

/** Reads and checks the text of an executors file; never throws. */
export function validateExecutorsFile(text: string, path?: string): ExecutorsFileResult {
  const profiles = new Map<string, ExecutorProfile>();
  const pre = prescan(text);
  if (!pre.parseable) return { profiles, diagnostics: pre.diagnostics };
  const r = new NodeReader(text);
  try {
    const yaml = readYaml(text, pre.tabIndent);
    const diagnostics = [...pre.diagnostics, ...yaml.diagnostics];
    const root = yaml.root;
    if (root !== undefined && !(root.kind === 'scalar' && root.value === null)) {
      if (root.kind !== 'map') r.error('invalid-type', root.span, l10n.t('An executors file is a mapping with one key, `executors`, like the `executors:` of a pipeline.'));
      else {
        const top = r.pairs(root, undefined, 'the executors file');
        for (const [key, pair] of top) {
          if (key === 'executors') continue;
          const suggestion = didYouMean(key, ['executors']);
          r.error('unknown-key', pair.key.span, l10n.t('Unknown key \'{0}\' in the executors file: it holds only `executors`.{1}', key, suggestion === undefined ? '' : l10n.t(' Did you mean \'{0}\'?', suggestion)), suggestion);
        }
        readProfiles(r, top.get('executors'), profiles);
      }
    }
    if (path !== undefined) for (const profile of profiles.values()) profile.source = path;
    diagnostics.push(...r.diagnostics);
    return { profiles, diagnostics: diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end) };
  } catch (error) {
    return { profiles, diagnostics: [diagnostic('yaml-syntax', 'error', { start: 0, end: 0 }, l10n.t('The file could not be read: {0}', error instanceof Error ? error.message : String(error)))] };
  }
}

export interface WorkspaceExecutors extends ExecutorsFileResult {
  path: string;
}

const cache = new Map<string, { stamp: string; result: WorkspaceExecutors }>();

/**
 * The executors file of the workspace of a pipeline file: `.pipelines/executors.yaml` in the
 * pipeline's folder or the nearest folder above it that has one. Re-read only when it changed
 * (size and mtime), so the language server can ask on every keystroke.
 */
export function workspaceExecutorsFor(pipelineFile: string | undefined): WorkspaceExecutors | undefined {
  if (pipelineFile === undefined || !isAbsolute(pipelineFile)) return undefined;
  let dir = dirname(pipelineFile);
  for (;;) {
    const path = join(dir, WORKSPACE_EXECUTORS_FILE);
    const found = readIfChanged(path);
    if (found !== undefined) return found;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function readIfChanged(path: string): WorkspaceExecutors | undefined {
  let stamp: string;
  try {
    const s = statSync(path);
    if (!s.isFile()) return undefined;
    stamp = `${s.size}:${s.mtimeMs}`;
  } catch {
    cache.delete(path);
    return undefined;
  }
  const known = cache.get(path);
  if (known !== undefined && known.stamp === stamp) return known.result;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const result = { path, ...validateExecutorsFile(text, path) };
  cache.set(path, { stamp, result });
  return result;
}
