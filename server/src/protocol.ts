// Custom requests of the Pipeline Studio language server, beyond LSP. Both the server and the
// extension import this file, so a changed request breaks the compile of the side not updated.
// Each side wraps the method in its own library's RequestType (the server and the client bundle
// different copies of vscode-jsonrpc, whose classes do not mix), typed by the shapes here.
import type { GraphGesture } from './graphEdit/gesture.ts';

export type { BlockField, BlockFields, BlockSnippet, GraphGesture, PaletteItem } from './graphEdit/gesture.ts';

export interface LspTextEdit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

export interface GraphEditParams {
  textDocument: { uri: string; version: number };
  gesture: GraphGesture;
}

export type GraphEditResponse =
  | {
      /** Edits of the document at `textDocument.version`, to apply as one workspace edit. */
      edits: LspTextEdit[];
      /** The block to select afterwards (a new one, ready to rename). */
      select?: string;
      /** Errors the edit would add to the file: the side panel shows them as the user types. */
      problems: string[];
    }
  /** Refused, with the reason in words for the user (a cycle, a duplicate, a stale version …). */
  | { error: string };

/** A designer gesture as text edits of the open document, computed on the YAML tree so comments and formatting stay. */
export const GRAPH_EDIT_METHOD = 'pipelineStudio/graphEdit';

export interface BlockFieldsParams {
  textDocument: { uri: string };
  block: string;
}

/** A block's side-panel fields, read from the open document; null when there is no such block. */
export const BLOCK_FIELDS_METHOD = 'pipelineStudio/blockFields';
