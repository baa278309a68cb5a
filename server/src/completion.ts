import type { CompletionItem as LspCompletionItem, CompletionItemKind, CompletionList, CompletionParams, Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { pipelineFilesNear } from './pipelineFiles.ts';
import { completeAt, type CompletionItem, type CompletionKind, type DocumentAnalysis } from '../../core/src/index.ts';

// CompletionItemKind values.
const KIND: Record<CompletionKind, CompletionItemKind> = {
  key: 10, // Property
  block: 9, // Module
  variable: 6, // Variable
  env: 21, // Constant
  output: 5, // Field
  root: 14, // Keyword
  member: 5, // Field
  value: 20, // EnumMember
  snippet: 15, // Snippet
};

/** The characters after which the editor asks on its own: a reference member, a list entry, `${{`. */
export const COMPLETION_TRIGGERS = ['.', '[', ',', ' ', '{'];

/** Asks the editor to open the list again once an item such as `vars.` is inserted. */
const SUGGEST_AGAIN = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

/** Completion on the current text with the latest analysis (see Analyses), never re-validating. */
export function completion(document: TextDocument, analysis: DocumentAnalysis | undefined, params: CompletionParams): CompletionList | null {
  const text = document.getText();
  const offset = document.offsetAt(params.position);
  const trigger = params.context?.triggerCharacter;
  // Listed only when the cursor is at a `pipeline:` value, and only for a file on disk.
  const pipelineFiles = document.uri.startsWith('file:') ? () => pipelineFilesNear(fileURLToPath(document.uri)) : undefined;
  const result = completeAt(text, offset, analysis, { ...(trigger === undefined ? {} : { triggerCharacter: trigger }), ...(pipelineFiles === undefined ? {} : { pipelineFiles }) });
  if (result === undefined || result.items.length === 0) return null;
  const range: Range = { start: document.positionAt(result.span.start), end: document.positionAt(result.span.end) };
  return { isIncomplete: false, items: result.items.map((item) => toLspItem(item, range)) };
}

function toLspItem(item: CompletionItem, range: Range): LspCompletionItem {
  const out: LspCompletionItem = { label: item.label, kind: KIND[item.kind], textEdit: { range, newText: item.insertText ?? item.label } };
  if (item.detail !== undefined && item.detail !== '') out.detail = item.detail;
  if (item.documentation !== undefined) out.documentation = { kind: 'markdown', value: item.documentation };
  if (item.snippet === true) out.insertTextFormat = 2; // Snippet
  if (item.sortText !== undefined) out.sortText = item.sortText;
  if (item.filterText !== undefined) out.filterText = item.filterText;
  if (item.retrigger === true) out.command = SUGGEST_AGAIN;
  return out;
}
