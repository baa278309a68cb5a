import { LSPErrorCodes, ResponseError, type PrepareRenameParams, type Range, type RenameParams, type WorkspaceEdit } from 'vscode-languageserver/node';
import { prepareRename as prepare, renameAt, type DocumentAnalysis } from '../../core/src/index.ts';
import { toRange, toTextEdit } from './convert.ts';

/** The range to rename and its current name, or an error the editor shows instead of the rename box. */
export function prepareRename(analysis: DocumentAnalysis, params: PrepareRenameParams): { range: Range; placeholder: string } | ResponseError {
  const result = prepare(analysis, analysis.lines.offsetAt(params.position));
  if ('error' in result) return new ResponseError(LSPErrorCodes.RequestFailed, result.error);
  return { range: toRange(analysis.lines, result.span), placeholder: result.placeholder };
}

/** Every edit of the rename, or an error naming why the new name is refused. */
export function rename(analysis: DocumentAnalysis, params: RenameParams): WorkspaceEdit | ResponseError {
  const result = renameAt(analysis, analysis.lines.offsetAt(params.position), params.newName);
  if ('error' in result) return new ResponseError(LSPErrorCodes.RequestFailed, result.error);
  return { changes: { [params.textDocument.uri]: result.edits.map((e) => toTextEdit(analysis.lines, e)) } };
}
