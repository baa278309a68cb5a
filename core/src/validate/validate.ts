import * as l10n from '@vscode/l10n';
import { workspaceExecutorsFor } from '../parse/workspaceExecutors.ts';
import { diagnostic, type Diagnostic } from '../model/diagnostic.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { Dag } from '../graph/dag.ts';
import { prescan } from '../text/prescan.ts';
import { readYaml } from '../yaml/readYaml.ts';
import type { CstCache } from '../yaml/chunks.ts';
import { buildPipeline } from '../parse/buildPipeline.ts';
import { NodeReader } from '../parse/reader.ts';
import { checkCacheOutputs, checkCycles, checkDependencies } from './graphChecks.ts';
import { checkExecutorNames } from './executorChecks.ts';
import { checkSubPipelines } from './subPipelineChecks.ts';
import { checkAfterTargets, type PipelineExists } from './triggerChecks.ts';
import { checkReferences, collectExpressions, type FoundExpression } from './expressions.ts';

export interface ValidateOptions {
  /** Used for the default pipeline name. */
  fileName?: string;
  /** Texts longer than this (in UTF-16 units) are refused with `file-too-large`. */
  maxLength?: number;
  /** Parsed pieces of the previous version of this document, reused where the text is unchanged. */
  cache?: CstCache;
  /** Tells whether a pipeline named by a trigger's `after:` exists; without it, `after:` targets are not looked up. */
  pipelineExists?: PipelineExists;
  /** The file's absolute path on disk: `pipeline:` includes are looked up and followed (recursion) from it; default `fileName` when absolute. */
  filePath?: string;
  /** Merge the profiles of the workspace's .pipelines/executors.yaml (found from fileName); default true. */
  workspaceExecutors?: boolean;
}

export interface ValidationResult {
  pipeline: Pipeline;
  dag: Dag;
  /** Sorted by position. */
  diagnostics: Diagnostic[];
  /** Every expression in the file with absolute offsets (for editor features). */
  expressions: FoundExpression[];
  /** False when the text was refused before parsing (too large, too deep). */
  parsed: boolean;
}

/**
 * Reads and checks a pipeline file. Never throws and does bounded work on any input: the prescan
 * refuses what could make the YAML parser blow up, and an unexpected internal error becomes a
 * diagnostic rather than a crash of whoever called us (the language server, the CLI).
 */
export function validatePipeline(input: string, options: ValidateOptions = {}): ValidationResult {
  const text = input;
  const reader = new NodeReader(text);
  const pre = prescan(text, options.maxLength);
  const emptyResult = (diagnostics: Diagnostic[], parsed: boolean): ValidationResult => {
    const pipeline = buildPipeline(undefined, '', options.fileName, new NodeReader(''));
    return { pipeline, dag: new Dag([]), diagnostics: sortDiagnostics(diagnostics), expressions: [], parsed };
  };
  if (!pre.parseable) return emptyResult(pre.diagnostics, false);
  try {
    const yaml = readYaml(text, pre.tabIndent, options.cache);
    const pipeline = buildPipeline(yaml.root, text, options.fileName, reader);
    const diagnostics = [...pre.diagnostics, ...yaml.diagnostics, ...reader.diagnostics];
    const report = (d: Diagnostic): void => {
      diagnostics.push(d);
    };
    const dag = new Dag(pipeline.blocks.map((b) => ({ id: b.id, dependsOn: b.dependsOn.map((d) => d.name) })));
    const unknownDependencies = checkDependencies(pipeline, report);
    checkCycles(pipeline, dag, report);
    checkCacheOutputs(pipeline, report);
    // The workspace's executors file wins over the pipeline's profiles of the same name (see workspaceExecutors.ts).
    // A workspace file with errors gives no profiles, so that a half-read profile never runs anything.
    const workspace = options.workspaceExecutors === false ? undefined : workspaceExecutorsFor(options.fileName);
    const usable = workspace !== undefined && !workspace.diagnostics.some((d) => d.severity === 'error');
    for (const [name, profile] of usable ? workspace.profiles : []) pipeline.executors.set(name, profile);
    checkExecutorNames(pipeline, report, workspace);
    checkAfterTargets(pipeline, options.fileName, options.pipelineExists, report);
    checkSubPipelines(pipeline, options.filePath ?? options.fileName, options.pipelineExists === undefined ? undefined : (path) => options.pipelineExists?.(path) !== false, report);
    const expressions = collectExpressions(pipeline, report);
    const used = new Set<string>();
    checkReferences(pipeline, dag, expressions, used, report, unknownDependencies);
    checkUnusedVariables(pipeline, used, report);
    return { pipeline, dag, diagnostics: sortDiagnostics(dedupe(diagnostics)), expressions, parsed: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return emptyResult([...pre.diagnostics, diagnostic('yaml-syntax', 'error', { start: 0, end: 0 }, l10n.t('The file could not be read: {0}', message))], false);
  }
}

function checkUnusedVariables(pipeline: Pipeline, used: Set<string>, report: (d: Diagnostic) => void): void {
  if (pipeline.variables.size === 0) return;
  // A script may read a variable from its environment instead of through ${{ vars.x }}.
  const scripts = pipeline.blocks.map((b) => b.run?.value ?? '').join('\n');
  for (const variable of pipeline.variables.values()) {
    if (used.has(variable.name) || scripts.includes(`PIPELINE_VAR_${variable.name.toUpperCase()}`)) continue;
    report(diagnostic('unused-variable', 'hint', variable.keySpan, l10n.t('Variable \'{0}\' is never used.', variable.name), { tags: ['unnecessary'] }));
  }
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.span.start}:${d.span.end}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
}
