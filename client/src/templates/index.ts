import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { describeTemplate, instantiate, pipelineFileName, pipelineStem, templateStem } from './templateText.ts';

export const NEW_PIPELINE = 'pipelineStudio.newPipeline';
export const SAVE_AS_TEMPLATE = 'pipelineStudio.saveAsTemplate';
/** A workspace's own templates, next to its designer snippets. */
const WORKSPACE_TEMPLATES = ['.pipeline-studio', 'templates'];

interface Template {
  name: string;
  path: string;
  text: string;
  builtIn: boolean;
}

/** "New Pipeline…" (from the built-in templates and the workspace's own) and "Save as Template". */
export function registerTemplateFeatures(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(NEW_PIPELINE, () => newPipeline(context.asAbsolutePath('templates'))),
    vscode.commands.registerCommand(SAVE_AS_TEMPLATE, (uri?: unknown) => saveAsTemplate(uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri)),
  );
}

async function readTemplates(folder: string, builtIn: boolean): Promise<Template[]> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => /\.pipeline\.ya?ml$/.test(n)).sort();
  } catch {
    return [];
  }
  const templates: Template[] = [];
  for (const name of names) templates.push({ name: pipelineStem(name), path: join(folder, name), text: await readFile(join(folder, name), 'utf8'), builtIn });
  return templates;
}

async function pickFolder(purpose: string): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder first: {0}.', purpose));
    return undefined;
  }
  return folders.length === 1 ? folders[0] : vscode.window.showWorkspaceFolderPick({ placeHolder: purpose });
}

async function newPipeline(builtInFolder: string): Promise<void> {
  const folder = await pickFolder('the new pipeline is created in it');
  if (folder === undefined) return;
  const templates = [...(await readTemplates(join(folder.uri.fsPath, ...WORKSPACE_TEMPLATES), false)), ...(await readTemplates(builtInFolder, true))];
  const picked = await vscode.window.showQuickPick(
    templates.map((t) => ({ label: t.name, description: t.builtIn ? 'built-in' : 'workspace template', detail: describeTemplate(t.text), template: t })),
    { title: vscode.l10n.t('New Pipeline'), placeHolder: vscode.l10n.t('Start from a template'), matchOnDetail: true },
  );
  if (picked === undefined) return;
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('New Pipeline'),
    prompt: vscode.l10n.t('File name in {0}', folder.name),
    value: `${picked.template.name}.pipeline.yaml`,
    valueSelection: [0, picked.template.name.length],
    validateInput: (value) => (pipelineFileName(value) === undefined ? 'A file name such as orders.pipeline.yaml' : undefined),
  });
  const fileName = typed === undefined ? undefined : pipelineFileName(typed);
  if (fileName === undefined) return;
  const path = join(folder.uri.fsPath, fileName);
  try {
    await writeFile(path, instantiate(picked.template.text, pipelineStem(fileName)), { encoding: 'utf8', flag: 'wx' });
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot create {0}: {1}', path, error instanceof Error ? error.message : String(error)));
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(path));
}

async function saveAsTemplate(uri: vscode.Uri | undefined): Promise<void> {
  if (uri === undefined || !/\.pipeline\.ya?ml$/.test(uri.path)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a pipeline file (*.pipeline.yaml) to save it as a template.'));
    return;
  }
  const folder = vscode.workspace.getWorkspaceFolder(uri) ?? (await pickFolder('the template is saved in it'));
  if (folder === undefined) return;
  const stem = pipelineStem(uri.path.slice(uri.path.lastIndexOf('/') + 1));
  const typed = await vscode.window.showInputBox({ title: vscode.l10n.t('Save as Template'), prompt: vscode.l10n.t('Template name'), value: stem, validateInput: (v) => (templateStem(v) === undefined ? 'Letters, digits, - _ and . only' : undefined) });
  const name = typed === undefined ? undefined : templateStem(typed);
  if (name === undefined) return;
  const dir = join(folder.uri.fsPath, ...WORKSPACE_TEMPLATES);
  const target = join(dir, `${name}.pipeline.yaml`);
  const document = await vscode.workspace.openTextDocument(uri);
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(target, document.getText(), { encoding: 'utf8', flag: 'wx' });
  } catch {
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('A template named \'{0}\' exists. Replace it?', name), { modal: true }, 'Replace');
    if (answer !== 'Replace') return;
    await writeFile(target, document.getText(), 'utf8');
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved as template \'{0}\' ({1}); "New Pipeline…" offers it.', name, vscode.workspace.asRelativePath(target)));
}
