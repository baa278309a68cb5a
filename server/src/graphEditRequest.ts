import type { TextDocument } from 'vscode-languageserver-textdocument';
import { blockFields, computeGraphEdit } from './graphEdit/computeEdit.ts';
import { toTextEdit } from './convert.ts';
import type { BlockFields, BlockFieldsParams, GraphEditParams, GraphEditResponse } from './protocol.ts';

/**
 * Answers a designer gesture with edits of the document the gesture was made on. A gesture made on
 * an older version than the server holds is refused rather than applied at stale offsets.
 */
export function graphEdit(document: TextDocument | undefined, params: GraphEditParams): GraphEditResponse {
  if (document === undefined) return { error: 'The pipeline file is not open in the language server.' };
  if (document.version !== params.textDocument.version) return { error: 'The file changed while the graph was being edited; try again.' };
  const result = computeGraphEdit(document.getText(), params.gesture, fileNameOf(document.uri));
  if ('error' in result) return result;
  return { edits: result.edits.map((e) => toTextEdit(document, e)), ...(result.select !== undefined ? { select: result.select } : {}), problems: result.problems };
}

export function readBlockFields(document: TextDocument | undefined, params: BlockFieldsParams): BlockFields | null {
  if (document === undefined) return null;
  return blockFields(document.getText(), params.block, fileNameOf(document.uri)) ?? null;
}

/** The file's name, as the analyses give it to the validator (it names a pipeline without `name:`). */
function fileNameOf(uri: string): string | undefined {
  const path = uri.replace(/[?#].*$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name) || undefined;
  } catch {
    return name || undefined;
  }
}
