import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Pipeline } from '../../../core/src/model/pipeline.ts';
import { openStore, StoreError, type RunSummary } from '../../../core/src/store/index.ts';
import { validatePipeline } from '../../../core/src/validate/validate.ts';
import type { RunController } from './runController.ts';
import { statusMark } from './terminalRenderer.ts';
import { storePathForReading } from '../runState/storeLocation.ts';

const PIPELINE_GLOB = '**/*.{pipeline.yaml,pipeline.yml}';

export function isPipelineFile(uri: vscode.Uri): boolean {
  return /\.pipeline\.ya?ml$/.test(uri.path);
}

/** The pipeline a command acts on: the given one, the active editor's, or one the user picks. */
export async function pickPipelineFile(given: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (given !== undefined) return given;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active !== undefined && (isPipelineFile(active) || vscode.window.activeTextEditor?.document.languageId === 'pipeline')) return active;
  const files = await vscode.workspace.findFiles(PIPELINE_GLOB, '**/{node_modules,.git,.pipelines,dist}/**', 500);
  if (files.length === 1) return files[0];
  if (files.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no pipeline file (*.pipeline.yaml) in this workspace to run.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.sort((a, b) => a.path.localeCompare(b.path)).map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: vscode.l10n.t('Pipeline to run') },
  );
  return picked?.uri;
}

/** The pipeline as it is now: the editor's buffer when open (unsaved edits included), else the file. */
export function readPipeline(file: vscode.Uri): { pipeline: Pipeline; text: string } {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
  const text = document?.getText() ?? readFileSync(file.fsPath, 'utf8');
  return { pipeline: validatePipeline(text, { fileName: file.fsPath }).pipeline, text };
}

export async function pickBlock(pipeline: Pipeline, placeHolder: string): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(pipeline.blocks.map((b) => ({ label: b.id, description: b.description })), { placeHolder });
  return picked?.label;
}

/** A run of this window that is still going, picked when there are several. */
export async function pickActiveRun(controller: RunController): Promise<{ runId: number; store: string } | undefined> {
  const active = controller.activeRuns;
  if (active.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No pipeline run is going in this window.'));
    return undefined;
  }
  if (active.length === 1) return { runId: active[0]?.runId ?? 0, store: active[0]?.store ?? '' };
  const picked = await vscode.window.showQuickPick(
    active.map((r) => ({ label: `${r.pipelineName} #${r.runId}`, description: `${r.done}/${r.total} blocks`, ref: { runId: r.runId, store: r.store } })),
    { placeHolder: vscode.l10n.t('Run to cancel') },
  );
  return picked?.ref;
}

/** A finished run of a pipeline, from its store (read-only), picked by the user. */
export async function pickStoredRun(file: vscode.Uri, placeHolder: string, filter: (run: RunSummary) => boolean): Promise<{ runId: number; store: string } | undefined> {
  const store = storePathForReading(file);
  let runs: RunSummary[];
  try {
    const reader = openStore(store, { readonly: true });
    try {
      runs = reader.listRuns({ pipelineFile: file.fsPath, limit: 50 });
    } finally {
      reader.close();
    }
  } catch (error) {
    const message = error instanceof StoreError && error.kind === 'not-found' ? `${vscode.workspace.asRelativePath(file)} has not been run yet.` : `Cannot read the run history: ${error instanceof Error ? error.message : String(error)}`;
    void vscode.window.showInformationMessage(message);
    return undefined;
  }
  const candidates = runs.filter(filter);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No run of {0} fits.', vscode.workspace.asRelativePath(file)));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((r) => ({ label: `#${r.id} ${statusMark(r.status)} ${r.status}`, description: new Date(r.createdAt).toLocaleString(), detail: `${r.mode}${r.selection.length > 0 ? ` ${r.selection.join(', ')}` : ''} · ${r.trigger}`, runId: r.id })),
    { placeHolder },
  );
  return picked === undefined ? undefined : { runId: picked.runId, store };
}
