import * as vscode from 'vscode';
import { coerceSetting, SETTINGS_SECTION, type SettingKey, type SettingValue } from './settingsTable.ts';

// The typed accessors of the settings table (./settingsTable.ts): the only place the client reads
// its settings. The language client's id is the section, so vscode-languageclient reads
// `trace.server` from it too.
export { SETTINGS_SECTION } from './settingsTable.ts';
export type { SettingKey } from './settingsTable.ts';

export const VALIDATE_ENABLE = 'validate.enable' satisfies SettingKey;
export const TRACE_SERVER = 'trace.server' satisfies SettingKey;
export const STORE_PATH_SETTING = 'store.path' satisfies SettingKey;

/** A setting for a resource (a folder or a file: most may differ per folder), checked against its row. */
export function setting<K extends SettingKey>(name: K, resource?: vscode.Uri): SettingValue<K> {
  return coerceSetting(name, vscode.workspace.getConfiguration(SETTINGS_SECTION, resource).get<unknown>(name));
}

export function affects(event: vscode.ConfigurationChangeEvent, name: SettingKey): boolean {
  return event.affectsConfiguration(`${SETTINGS_SECTION}.${name}`);
}

export type TraceSetting = SettingValue<'trace.server'>;

/** `pipelineStudio.validate.enable` for a document (it may differ per folder). */
export function validateEnabled(uri: vscode.Uri): boolean {
  return setting('validate.enable', uri);
}

export function traceSetting(): TraceSetting {
  return setting('trace.server');
}

/** `pipelineStudio.store.path` of a folder or file; empty means the default store. */
export function storePathSetting(resource: vscode.Uri | undefined): string {
  return setting('store.path', resource);
}

/** The run settings, read for the pipeline file they apply to. */
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
  /** Files over this are recorded and fingerprinted without reading them (`pipelineStudio.details.hashLimit`, MiB). */
  hashLimitBytes: number;
  /** `pipelineStudio.executors.containerEngine`: what a container profile's `engine: auto` means. */
  containerEngine: 'auto' | 'docker' | 'podman';
}

export function runSettings(resource: vscode.Uri | undefined): RunSettings {
  return {
    storePath: setting('store.path', resource),
    concurrency: setting('run.concurrency', resource) ?? undefined,
    terminals: setting('run.terminals', resource),
    logCapBytes: Math.round(setting('run.logCapMegabytes', resource) * 1024 * 1024),
    confirmAboveBlocks: setting('run.confirmAboveBlocks', resource),
    hashLimitBytes: Math.round(setting('details.hashLimit', resource) * 1024 * 1024),
    containerEngine: setting('executors.containerEngine', resource),
  };
}
