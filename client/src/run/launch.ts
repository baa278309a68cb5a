import * as vscode from 'vscode';
import type { Selection } from '../../../core/src/runner/selection.ts';
import type { VariableValue } from '../../../core/src/runner/variables.ts';
import { openStore, type RunRecord, type RunSummary } from '../../../core/src/store/index.ts';
import type { Pipeline } from '../../../core/src/model/pipeline.ts';
import { isRetryableRun } from '../../../core/src/model/status.ts';
import { ArgumentError, fileArgument, optionsArgument, runArgument, type RunCommandOptions } from './runArguments.ts';
import type { RunController } from './runController.ts';
import { runSettings } from '../settings/settings.ts';
import { showRunError } from './runsLog.ts';
import { isPipelineFile, pickPipelineFile, pickStoredRun, readPipeline } from './pickTargets.ts';
import { storePathForReading } from '../runState/storeLocation.ts';
import { refuseIfUntrusted } from './trust.ts';
import { lastUsedVariables, promptForVariables, rememberVariables } from './variablePrompt.ts';
import type { ReadOnlyDocuments } from './readOnlyDocuments.ts';

/** What the run commands share. */
export interface RunFeatures {
  controller: RunController;
  workspaceState: vscode.Memento;
  views: ReadOnlyDocuments;
}

export interface FileRunSpec {
  title: string;
  /** Which blocks; undefined when the user backed out. */
  selection: (pipeline: Pipeline) => Promise<Selection | undefined>;
  withDefaults?: boolean;
  /** A `profiles:` entry to apply (Run with Profile…); undefined when the user backed out. */
  profile?: (pipeline: Pipeline) => Promise<string | undefined>;
  /** "Run on…": asks for the executor profile; undefined when the user backed out. */
  executor?: (pipeline: Pipeline) => Promise<string | undefined>;
}

/**
 * Starts a run of a pipeline file: checks trust, finds the file, asks for the selection and the
 * variables (unless told not to), confirms a large whole-pipeline run, and launches it. Resolves
 * with the run number, or undefined when nothing started (the reason has been shown).
 */
export async function runFile(features: RunFeatures, args: readonly unknown[], spec: FileRunSpec): Promise<number | undefined> {
  if (refuseIfUntrusted(spec.title)) return undefined;
  try {
    const options = optionsArgument(args);
    const file = await pickPipelineFile(fileArgument(args[0]));
    if (file === undefined) return undefined;
    const { pipeline } = readPipeline(file);
    const selection = await spec.selection(pipeline);
    if (selection === undefined) return undefined;
    const profile = spec.profile === undefined ? undefined : await spec.profile(pipeline);
    if (spec.profile !== undefined && profile === undefined) return undefined;
    const executor = options.executor ?? (spec.executor === undefined ? undefined : await spec.executor(pipeline));
    if (spec.executor !== undefined && executor === undefined) return undefined;
    const variables = await chooseVariables(features, file, pipeline, options, spec);
    if (variables === undefined) return undefined;
    const threshold = runSettings(file).confirmAboveBlocks;
    if (selection.mode === 'all' && options.noPrompt !== true && threshold > 0 && pipeline.blocks.length > threshold) {
      const go = await vscode.window.showWarningMessage(vscode.l10n.t('Run all {0} blocks of {1}?', pipeline.blocks.length, pipeline.name), { modal: true, detail: vscode.l10n.t('pipelineStudio.run.confirmAboveBlocks is {0}.', threshold) }, 'Run');
      if (go !== 'Run') return undefined;
    }
    const runId = await features.controller.launch({
      file, pipelineName: pipeline.name, selection, variables, trigger: profile === 'test' ? 'test' : 'manual', concurrency: options.concurrency, noCache: options.noCache, executor,
      showProgress: args.length === 0, wait: options.wait === true, ...(profile === undefined ? {} : { profile }),
    });
    if (runId !== undefined && Object.keys(variables).length > 0) await rememberVariables(features.workspaceState, file, variables);
    return runId;
  } catch (error) {
    reportCommandError(spec.title, error);
    return undefined;
  }
}

async function chooseVariables(features: RunFeatures, file: vscode.Uri, pipeline: Pipeline, options: RunCommandOptions, spec: FileRunSpec): Promise<Record<string, VariableValue> | undefined> {
  if (options.variables !== undefined || options.noPrompt === true || spec.withDefaults === true || pipeline.variables.size === 0) return options.variables ?? {};
  return promptForVariables(pipeline, lastUsedVariables(features.workspaceState, file), `${spec.title}: ${pipeline.name}`);
}

/**
 * Retries or replays a recorded run: the run comes from the argument (a number, or the history's
 * `{ runId, storePath }`) or is picked among the active pipeline's runs.
 */
export async function runFromRecord(features: RunFeatures, args: readonly unknown[], kind: 'retry' | 'replay'): Promise<number | undefined> {
  const title = kind === 'retry' ? 'Retry Failed Blocks' : 'Replay Run';
  if (refuseIfUntrusted(title)) return undefined;
  try {
    const options = optionsArgument(args);
    const source = await recordedRun(args[0], kind === 'retry' ? 'Run to retry' : 'Run to replay', (r) => kind === 'replay' || isRetryableRun(r.status), options.noPrompt === true);
    if (source === undefined) return undefined;
    const file = vscode.Uri.file(source.run.pipelineFile);
    return await features.controller.launch({
      file, pipelineName: source.run.pipelineName, selection: { mode: kind, runId: source.run.id }, variables: options.variables ?? {},
      trigger: kind, store: source.store, concurrency: options.concurrency, noCache: options.noCache,
      showProgress: args.length === 0, wait: options.wait === true,
    });
  } catch (error) {
    reportCommandError(title, error);
    return undefined;
  }
}

/**
 * A run of the store, with its record: from a run argument, or picked from the current pipeline's
 * runs. With noPrompt nothing is asked: what cannot be worked out is an ArgumentError.
 */
export async function recordedRun(arg: unknown, placeHolder: string, filter: (run: RunSummary) => boolean, noPrompt = false): Promise<{ run: RunRecord; store: string } | undefined> {
  let ref = runArgument(arg);
  let store = ref?.storePath;
  if (ref === undefined || store === undefined) {
    const given = ref?.pipelineFile !== undefined ? vscode.Uri.file(ref.pipelineFile) : (fileArgument(arg) ?? (ref !== undefined ? storeOwnerOfBareRun() : undefined));
    if (given === undefined && noPrompt) throw new ArgumentError('Name the run and its store: pass a run number with one workspace folder open, or { runId, storePath } or { runId, pipelineFile }.');
    const file = await pickPipelineFile(given);
    if (file === undefined) return undefined;
    store = storePathForReading(file);
    if (ref === undefined) {
      if (noPrompt) throw new ArgumentError('Name the run: pass its number or { runId, storePath }.');
      const picked = await pickStoredRun(file, placeHolder, filter);
      if (picked === undefined) return undefined;
      ref = { runId: picked.runId };
    }
  }
  const reader = openStore(store, { readonly: true });
  try {
    const run = reader.getRun(ref.runId);
    if (run === undefined) throw new ArgumentError(`There is no run #${ref.runId} in ${store}.`);
    return { run, store };
  } finally {
    reader.close();
  }
}

/**
 * What a bare run number refers to, without asking: the active pipeline file (its store), else the
 * only workspace folder (the store its runs go to by default); undefined when it takes a pick.
 */
function storeOwnerOfBareRun(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active !== undefined && (isPipelineFile(active.uri) || active.languageId === 'pipeline')) return active.uri;
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.length === 1 ? folders[0]?.uri : undefined;
}

export function reportCommandError(title: string, error: unknown): void {
  if (error instanceof ArgumentError) showRunError(`${title}: ${error.message}`);
  else showRunError(`${title} failed`, error);
}
