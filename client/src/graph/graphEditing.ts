import * as vscode from 'vscode';
import { posix } from 'node:path';
import { BLOCK_FIELDS_METHOD, GRAPH_EDIT_METHOD, type BlockFields, type BlockFieldsParams, type GraphEditParams, type GraphEditResponse, type GraphGesture, type LspTextEdit } from '../../../server/src/protocol.ts';
import type { HostMessage } from '../../../webview/src/protocol.ts';
import { readBlockSnippets } from './blockSnippets.ts';

/** Sends a custom request to the language server; undefined when the server is not running. */
export type ServerRequest = <P, R>(method: string, params: P) => Promise<R> | undefined;

const NOT_RUNNING = 'The Pipeline Studio language server is not running, so the graph cannot edit the file. Edit the text, or restart the server.';

/**
 * Edit mode's host side: each gesture becomes edits the language server computes on the open
 * document, applied as one workspace edit (one Ctrl+Z undoes it). A refusal goes back to the
 * webview in words. The text stays the source of truth: the graph and the side panel follow it.
 */
export class GraphEditing {
  private readonly file: vscode.Uri;
  private readonly request: ServerRequest;
  private readonly post: (message: HostMessage) => void;

  constructor(file: vscode.Uri, request: ServerRequest, post: (message: HostMessage) => void) {
    this.file = file;
    this.request = request;
    this.post = post;
  }

  /** Applies a gesture; computed again once if the document changed in between (a save, another edit). */
  async apply(gesture: GraphGesture, retry = true): Promise<boolean> {
    const document = await vscode.workspace.openTextDocument(this.file);
    const answer = await this.ask(document, gesture);
    if ('error' in answer) {
      this.post({ type: 'editResult', error: answer.error });
      return false;
    }
    if (document.isClosed || answer.version !== document.version) {
      if (retry) return this.apply(gesture, false);
      this.post({ type: 'editResult', error: 'The file changed while the graph was being edited; try again.' });
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of answer.edits) edit.replace(this.file, rangeOf(e), e.newText);
    const applied = answer.edits.length === 0 || (await vscode.workspace.applyEdit(edit));
    if (!applied && retry) return this.apply(gesture, false);
    this.post(applied ? { type: 'editResult', ...(answer.select !== undefined ? { select: answer.select } : {}) } : { type: 'editResult', error: 'VS Code did not apply the edit.' });
    return applied;
  }

  /** What a field's typed value would break, without applying it. */
  async check(block: string, field: GraphGesture & { kind: 'setField' }): Promise<void> {
    const document = await vscode.workspace.openTextDocument(this.file);
    const answer = await this.ask(document, field);
    this.post({ type: 'fieldProblems', block, field: field.field, problems: 'error' in answer ? [answer.error] : answer.problems });
  }

  async sendFields(block: string): Promise<void> {
    const params: BlockFieldsParams = { textDocument: { uri: this.file.toString() }, block };
    const fields = await this.request<BlockFieldsParams, BlockFields | null>(BLOCK_FIELDS_METHOD, params);
    if (fields !== undefined && fields !== null) this.post({ type: 'fields', block, fields });
  }

  async addSnippet(name: string): Promise<void> {
    const snippet = (await readBlockSnippets()).find((s) => s.name === name);
    if (snippet === undefined) this.post({ type: 'editResult', error: `There is no snippet '${name}' in .pipeline-studio/snippets.` });
    else await this.apply({ kind: 'addSnippet', snippet });
  }

  async sendSnippets(): Promise<void> {
    this.post({ type: 'snippets', names: (await readBlockSnippets()).map((s) => s.name), pipelines: await pipelineFilesBeside(this.file) });
  }

  /** Only a path the host offered (a workspace pipeline file): the webview never names a file of its own. */
  async addSubPipeline(path: string): Promise<void> {
    if (!(await pipelineFilesBeside(this.file)).includes(path)) this.post({ type: 'editResult', error: `'${path}' is not a pipeline file of this workspace.` });
    else await this.apply({ kind: 'addSubPipeline', path });
  }

  /** The language server's rename at the block's id, so that every reference follows. */
  async rename(block: string, offset: number | undefined, newName: string | undefined): Promise<void> {
    if (offset === undefined) return;
    const name = newName ?? (await vscode.window.showInputBox({ title: vscode.l10n.t('Rename block \'{0}\'', block), value: block, valueSelection: [0, block.length], prompt: vscode.l10n.t('New block id; references to it follow.') }));
    if (name === undefined || name.trim() === '' || name.trim() === block) return;
    const document = await vscode.workspace.openTextDocument(this.file);
    try {
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit | undefined>('vscode.executeDocumentRenameProvider', this.file, document.positionAt(offset), name.trim());
      if (edit === undefined) throw new Error(`'${block}' cannot be renamed here.`);
      const applied = await vscode.workspace.applyEdit(edit);
      this.post(applied ? { type: 'editResult', select: name.trim() } : { type: 'editResult', error: 'VS Code did not apply the rename.' });
    } catch (error) {
      this.post({ type: 'editResult', error: error instanceof Error ? error.message : String(error) });
    }
  }

  private async ask(document: vscode.TextDocument, gesture: GraphGesture): Promise<(GraphEditResponse & { version: number }) | { error: string }> {
    const version = document.version;
    const params: GraphEditParams = { textDocument: { uri: this.file.toString(), version }, gesture };
    const pending = this.request<GraphEditParams, GraphEditResponse>(GRAPH_EDIT_METHOD, params);
    if (pending === undefined) return { error: NOT_RUNNING };
    const answer = await pending;
    return 'error' in answer ? answer : { ...answer, version };
  }
}

/** The workspace's pipeline files other than `file`, as `pipeline:` values relative to it (`./x.pipeline.yaml`). */
async function pipelineFilesBeside(file: vscode.Uri): Promise<string[]> {
  const found = await vscode.workspace.findFiles('**/*.pipeline.{yaml,yml}', '**/node_modules/**', 200);
  const dir = posix.dirname(file.path);
  return found
    .filter((f) => f.scheme === file.scheme && f.path !== file.path)
    .map((f) => {
      const relative = posix.relative(dir, f.path);
      return relative.startsWith('../') ? relative : `./${relative}`;
    })
    .sort();
}

function rangeOf(edit: LspTextEdit): vscode.Range {
  return new vscode.Range(edit.range.start.line, edit.range.start.character, edit.range.end.line, edit.range.end.character);
}
