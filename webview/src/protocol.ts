// The messages between the graph panel's host (client/src/graph) and the webview. Both sides import
// this file, so a change to a message breaks the compile of whichever side was not updated. The
// webview sends `ready` first; the host sends nothing before it (messages posted to a webview that
// has not loaded its script yet are lost).

import { BLOCK_STATUSES, RUN_STATUSES } from '../../core/src/model/status.ts';
import type { BlockField, BlockFields, GraphGesture } from '../../server/src/graphEdit/gesture.ts';

export type { BlockField, BlockFields, GraphGesture };

// The statuses are the run store's, listed once in core's status table.
export { BLOCK_STATUSES, RUN_STATUSES };
export type GraphBlockStatus = (typeof BLOCK_STATUSES)[number];
export type GraphRunStatus = (typeof RUN_STATUSES)[number];

export const PLAN_ACTIONS = ['run', 'cached', 'skipped', 'condition_failed', 'fail'] as const;
export type GraphPlanAction = (typeof PLAN_ACTIONS)[number];

export type Direction = 'RIGHT' | 'DOWN';

export type CompareChange = 'added' | 'removed' | 'changed' | 'unchanged';

/** Compare mode: the graph of the working copy against a base version (see client/src/graph/compare). */
export interface CompareView {
  /** What the working copy is compared with, e.g. "HEAD" or "a3f9e2b (main)". */
  label: string;
  nodes: Record<string, CompareChange>;
  addedEdges: number[];
  removedEdges: number[];
  changes: { block: string; change: CompareChange }[];
}

export interface GraphNode {
  id: string;
  description?: string;
  disabled?: boolean;
  /** A collapsed group of this many blocks (drawn by the webview itself, never sent by the host). */
  members?: number;
  /** The block's `group:`: when any block has one, these are the graph's groups instead of id prefixes. */
  group?: string;
  /** A sub-pipeline block: the file it runs, as written; the node opens that file's graph. */
  pipeline?: string;
}

/** The structure of a pipeline: nodes in file order, edges from upstream to downstream (indexes into nodes). */
export interface GraphModel {
  pipelineName: string;
  nodes: GraphNode[];
  edges: [from: number, to: number][];
}

/** Positions for one model and direction; arrays are parallel to the model's nodes and edges. */
export interface GraphLayout {
  hash: string;
  direction: Direction;
  width: number;
  height: number;
  /** x, y, width, height per node, flattened. */
  boxes: number[];
  /** Per edge, its polyline as x0, y0, x1, y1, … (orthogonal segments). */
  routes: number[][];
}

export interface BlockState {
  status: GraphBlockStatus;
  durationMs?: number;
  attempts?: number;
  /** A fan-out block: how many items, and how many ended how (the node shows `34/40 ✓ 2 ✗`). */
  items?: { total: number; counts: Partial<Record<GraphBlockStatus, number>> };
}

/** One item of a fan-out block, in the node's item list. */
export interface ItemRow {
  index: number;
  value: string;
  status: GraphBlockStatus;
  reason?: string;
}

/** Items shown per page in a fan-out node's list. */
export const ITEM_PAGE = 100;

export interface RunHeader {
  runId: number;
  status: GraphRunStatus;
  startedAt?: number;
  finishedAt?: number;
  done: number;
  total: number;
}

export interface RunChoice {
  runId: number;
  status: GraphRunStatus;
  label: string;
}

export interface PlanMark {
  block: string;
  action: GraphPlanAction;
  reason?: string;
}

export type HostMessage =
  /** The structure to show; `errorCount` > 0 means the text is invalid and this is the last valid structure. */
  | { type: 'model'; model: GraphModel; errorCount: number; direction: Direction; cachedLayout?: GraphLayout; file?: string }
  /** The text is invalid and has no usable structure: keep the graph shown, show the banner. */
  | { type: 'invalid'; errorCount: number }
  /** Every block's state in the shown run (replaces the previous run's). `run` undefined: no run. */
  | { type: 'run'; run: RunHeader | undefined; blocks: Record<string, BlockState> }
  /** One block of the shown run changed. */
  | { type: 'status'; runId: number; block: string; state: BlockState; header: RunHeader }
  | { type: 'runs'; runs: RunChoice[]; selected: number | undefined }
  | { type: 'plan'; marks: PlanMark[] }
  | { type: 'clearPlan' }
  | { type: 'focusBlock'; block: string }
  /** The blocks a debug session holds before they start (replaces the previous set; empty: none). */
  | { type: 'paused'; blocks: string[] }
  /** Edit mode: a gesture was applied (`select`: the block to select, a new one ready to rename) or refused (`error`). */
  | { type: 'editResult'; error?: string; select?: string }
  /** Edit mode: the selected block's fields as the text has them (the panel follows the text). */
  | { type: 'fields'; block: string; fields: BlockFields }
  /** Edit mode: what a field's value being typed would break (empty: nothing). */
  | { type: 'fieldProblems'; block: string; field: BlockField; problems: string[] }
  /** Compare mode on: `model` holds both versions' blocks (see CompareView); off: the host sends the model again. */
  | { type: 'compare'; model: GraphModel; view: CompareView }
  | { type: 'compareOff' }
  /** Per block, its median duration (ms) in earlier completed runs: the progress bar's estimate. */
  | { type: 'estimates'; runId: number; medians: Record<string, number> }
  /** The workspace's own block snippets, offered in the palette by name. */
  | { type: 'snippets'; names: string[]; /** The workspace's other pipeline files, relative to this one: sub-pipeline blocks. */ pipelines?: string[] }
  /** A page of a fan-out block's items (answer to requestItems). */
  | { type: 'items'; runId: number; block: string; total: number; offset: number; items: ItemRow[] };

/** `approve` / `reject`: a block of the shown run waiting at its approval gate; `openPipeline`: a sub-pipeline block's file (and child run). */
export type BlockCommand = 'runBlock' | 'runUpToBlock' | 'runFromBlock' | 'runBlockOn' | 'openLog' | 'approve' | 'reject' | 'openPipeline';
export const BLOCK_COMMANDS: readonly BlockCommand[] = ['runBlock', 'runUpToBlock', 'runFromBlock', 'runBlockOn', 'openLog', 'approve', 'reject', 'openPipeline'];
/** `pauseRun`, `pauseRunNow`, `resumeRun`: the shown run. */
export type ToolbarCommand = 'runPipeline' | 'dryRun' | 'cancelRun' | 'toggleMaximize' | 'pauseRun' | 'pauseRunNow' | 'resumeRun';
export const TOOLBAR_COMMANDS: readonly ToolbarCommand[] = ['runPipeline', 'dryRun', 'cancelRun', 'toggleMaximize', 'pauseRun', 'pauseRunNow', 'resumeRun'];

export type RenderPhase = 'preliminary' | 'final' | 'cached';

export type WebviewMessage =
  /** First message; `direction` is the one the panel had before a reload. */
  | { type: 'ready'; direction: Direction }
  | { type: 'revealBlock'; block: string }
  | { type: 'blockCommand'; command: BlockCommand; block: string }
  | { type: 'toolbar'; command: ToolbarCommand }
  | { type: 'selectRun'; runId: number }
  | { type: 'direction'; direction: Direction }
  /** A layout the worker finished, for the host to cache by structure hash. */
  | { type: 'layoutDone'; layout: GraphLayout }
  /** The graph is painted; `ms` from receiving the model. Lets tests and the benchmark wait on it. */
  | { type: 'rendered'; phase: RenderPhase; ms: number; nodes: number }
  | { type: 'error'; message: string }
  /** Edit mode: apply a gesture to the file (through the language server, one undoable edit). */
  | { type: 'edit'; gesture: GraphGesture }
  /** Edit mode: check a field's value as it is typed, without applying it. */
  | { type: 'checkField'; block: string; field: BlockField; value: string }
  /** Edit mode: send the fields of this block (it was selected). */
  | { type: 'requestFields'; block: string }
  /** Rename a block with the language server's rename (references follow); no name: ask for one. */
  | { type: 'rename'; block: string; newName?: string }
  | { type: 'addSnippet'; name: string }
  /** Edit mode: a block running one of the offered pipeline files (`path` as the host offered it). */
  | { type: 'addSubPipeline'; path: string }
  /** Compare mode: pick a git revision, or (`base: 'run'`) a run's recorded definition, to compare with (`stop`: leave compare mode). */
  | { type: 'compare'; stop?: boolean; base?: 'git' | 'run' }
  /** Compare mode: show the text diff of one changed block. */
  | { type: 'openDiff'; block: string }
  /** A fan-out node was expanded: `limit` items from `offset` (of the run shown). */
  | { type: 'requestItems'; block: string; offset: number; limit: number };

/** Between the page and its layout worker. */
export interface LayoutRequest {
  seq: number;
  model: GraphModel;
  direction: Direction;
  hash: string;
}

export type LayoutResponse = { seq: number; layout: GraphLayout } | { seq: number; error: string };
