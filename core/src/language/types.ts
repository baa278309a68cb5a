import type { Span } from '../model/diagnostic.ts';

/**
 * Plain result shapes of the editor features. They carry offsets into the document text, never
 * LSP or VS Code types: the language server converts them, and tests read them directly.
 */

/** Replace `span` of the document with `newText`. */
export interface TextEdit {
  span: Span;
  newText: string;
}

export type CompletionKind =
  | 'key' // a mapping key of the format
  | 'block' // a block id
  | 'variable' // a variable name
  | 'env' // an environment variable name
  | 'output' // an output name
  | 'root' // `vars`, `blocks`, … at the start of a reference
  | 'member' // `outputs`, `status`, `name`, `id`
  | 'value' // an enum value (`bash`, `number`, `true`, …)
  | 'snippet'; // a template that inserts several lines

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** One line shown next to the label. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** What replaces `span`; the label when absent. */
  insertText?: string;
  /** `insertText` uses snippet syntax (`$1`, `${2:x}`, `$0`). */
  snippet?: boolean;
  /** Orders the list; the label when absent. */
  sortText?: string;
  /** Matched against what the user typed; the label when absent. */
  filterText?: string;
  /** Ask for completion again once inserted (after `depends_on: [`, `vars.`, …). */
  retrigger?: boolean;
}

export interface CompletionResult {
  /** The part of the text the chosen item replaces (the word being typed, maybe empty). */
  span: Span;
  items: CompletionItem[];
}

export interface HoverResult {
  /** Markdown. */
  contents: string;
  span: Span;
}

export type OutlineKind = 'namespace' | 'variable' | 'block' | 'dependency' | 'key' | 'env';

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: OutlineKind;
  /** The whole entry. */
  span: Span;
  /** The part to reveal and select: the key. */
  selectionSpan: Span;
  children: OutlineSymbol[];
}

/** Zero-based, inclusive lines, as editors fold them. */
export interface FoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'comment';
}

export interface Highlight {
  span: Span;
  /** `write` for the definition, `read` for a use. */
  kind: 'read' | 'write';
}
