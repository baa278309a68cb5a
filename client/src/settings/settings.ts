import * as vscode from 'vscode';

/**
 * The extension's settings, as contributed in package.json (`contributes.configuration`). The
 * language client's id is this section, so vscode-languageclient reads `trace.server` from it.
 */
export const SETTINGS_SECTION = 'pipelineStudio';

export const VALIDATE_ENABLE = 'validate.enable';
export const TRACE_SERVER = 'trace.server';

export type TraceSetting = 'off' | 'messages' | 'verbose';

/** `pipelineStudio.validate.enable` for a document (it may differ per folder). */
export function validateEnabled(uri: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION, uri).get<boolean>(VALIDATE_ENABLE, true);
}

export function traceSetting(): TraceSetting {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>(TRACE_SERVER, 'off');
  return value === 'messages' || value === 'verbose' ? value : 'off';
}

export function affects(event: vscode.ConfigurationChangeEvent, setting: string): boolean {
  return event.affectsConfiguration(`${SETTINGS_SECTION}.${setting}`);
}


/** The run settings (`pipelineStudio.*` in package.json), read for the pipeline file they apply to. */
export interface RunSettings {
  /** `pipelineStudio.store.path`; empty means `<workspace folder>/.pipelines/runs.sqlite`. */
  storePath: string;
  /** Overrides the pipeline's `concurrency` when set. */
  concurrency: number | undefined;
  /** Finished run terminals: replaced by the next run of the same pipeline, or kept. */
  terminals: 'reuse' | 'keep';
  /** Stored log per block run, in bytes. */
  logCapBytes: number;
  /** Ask before running a whole pipeline of more blocks than this; 0 never asks. */
  confirmAboveBlocks: number;
}

export const STORE_PATH_SETTING = 'store.path';

export function runSettings(resource: vscode.Uri | undefined): RunSettings {
  const config = vscode.workspace.getConfiguration('pipelineStudio', resource);
  const concurrency = config.get<number | null>('run.concurrency', null);
  const capMb = config.get<number>('run.logCapMegabytes', 10);
  const confirm = config.get<number>('run.confirmAboveBlocks', 100);
  return {
    storePath: config.get<string>(STORE_PATH_SETTING, ''),
    concurrency: typeof concurrency === 'number' && Number.isInteger(concurrency) && concurrency >= 1 ? concurrency : undefined,
    terminals: config.get<string>('run.terminals', 'reuse') === 'keep' ? 'keep' : 'reuse',
    logCapBytes: Math.round((Number.isFinite(capMb) && capMb > 0 ? capMb : 10) * 1024 * 1024),
    confirmAboveBlocks: Number.isFinite(confirm) && confirm > 0 ? Math.floor(confirm) : 0,
  };
}

/** `pipelineStudio.store.path` of a folder or file; empty means the default store. */
export function storePathSetting(resource: vscode.Uri | undefined): string {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION, resource).get<string>(STORE_PATH_SETTING, '');
}
