// What the graph designer asks the language server to do to a pipeline file. Plain data with no
// imports: the webview, the extension and the server all read it.

/** The block fields the designer's side panel edits. */
export const BLOCK_FIELDS = ['run', 'shell', 'cwd', 'retry', 'timeout', 'if', 'cache.inputs', 'cache.outputs', 'group'] as const;
export type BlockField = (typeof BLOCK_FIELDS)[number];

/** The component library: each entry becomes a new block (see palette.ts for its text). */
export const PALETTE_ITEMS = ['shell', 'script', 'python', 'sqlite', 'duckdb', 'http', 'approval'] as const;
export type PaletteItem = (typeof PALETTE_ITEMS)[number];

/** A workspace snippet offered in the palette: a block's keys (or a whole `id:` entry) as YAML. */
export interface BlockSnippet {
  name: string;
  body: string;
}

export type GraphGesture =
  | { kind: 'addDependency'; from: string; to: string }
  | { kind: 'removeDependency'; from: string; to: string }
  | { kind: 'addBlock'; item: PaletteItem }
  | { kind: 'addSnippet'; snippet: BlockSnippet }
  /** A sub-pipeline block running another pipeline file (`path` relative to the edited file, as written). */
  | { kind: 'addSubPipeline'; path: string }
  | { kind: 'duplicateBlock'; block: string }
  | { kind: 'setDisabled'; block: string; disabled: boolean }
  | { kind: 'deleteBlock'; block: string }
  /** `value` as typed in the panel; empty removes the key. Lists (cache paths) are comma-separated. */
  | { kind: 'setField'; block: string; field: BlockField; value: string };

/** A field's problem in the text the edit would produce, for the panel to show as the user types. */
export interface FieldProblem {
  message: string;
}

/** The current values of a block's panel fields, as text (lists comma-separated). */
export type BlockFields = Record<BlockField, string>;
