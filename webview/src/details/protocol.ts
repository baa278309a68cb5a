// The run details webview's messages, both ways: the one place their shapes are written down.
// Plain JSON only (it crosses postMessage); texts from runs are inserted as text, never as markup.

export interface AttemptView {
  attempt: number;
  status: string;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface BlockView {
  block: string;
  status: string;
  statusLabel: string;
  attempts: AttemptView[];
  readyAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  queueWaitMs: number | null;
  durationMs: number | null;
  exitCode: number | null;
  reason: string | null;
  /** Where the latest attempt ran (`gpu (slurm, job 12)`), when recorded. */
  executor: string | null;
  cpuMs: number | null;
  peakRssBytes: number | null;
  logBytes: number;
  outputs: Record<string, string>;
  critical: boolean;
  slowRatio: number | null;
  medianMs: number | null;
}

export interface ArtifactView {
  block: string;
  direction: 'input' | 'output';
  path: string;
  /** Relative to the pipeline's folder when under it. */
  shownPath: string;
  size: number | null;
  sha256: string | null;
  note: string | null;
  changed: boolean | null;
  lineage: string | null;
  /** A cached block's file, reused from an earlier run: `cached from run #12`. */
  reused: string | null;
}

export interface DetailsView {
  runId: number;
  pipelineName: string;
  pipelineFile: string;
  status: string;
  statusLabel: string;
  trigger: string;
  mode: string;
  variables: Record<string, string | number | boolean>;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  host: string | null;
  git: { commit: string; branch: string | null; dirty: boolean; author: string | null; subject: string | null; remote: string | null } | null;
  live: boolean;
  blocks: BlockView[];
  criticalPath: string[];
  artifacts: ArtifactView[];
  totals: { cpuMs: number | null; peakRssBytes: number | null };
  /** Recorded on a platform where resources are not measured (they are on Linux only). */
  resourcesUnmeasured: boolean;
  definition: string | null;
}

export interface CompareView {
  heads: string[];
  rows: { section: string; label: string; cells: string[]; differs: boolean }[];
  /** Per block: duration (ms) in each run, for the bar chart. */
  durations: { block: string; ms: (number | null)[] }[];
}

export type DetailsAction = 'retry' | 'replay' | 'cancel' | 'openLog' | 'showInGraph' | 'comparePrevious' | 'openArtifact' | 'diffDefinition';

/** Extension → webview. */
export type HostMessage =
  | { type: 'details'; view: DetailsView }
  | { type: 'compare'; view: CompareView }
  | { type: 'live'; resources: { block: string; cpuMs: number; rssBytes: number }[] };

/** Webview → extension. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'action'; action: DetailsAction; block?: string; path?: string }
  /** How long the last render took (the timeline of every block run), for the UI tests. */
  | { type: 'rendered'; ms: number; lanes: number };

export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.type === 'ready') return true;
  if (v.type === 'rendered') return typeof v.ms === 'number' && typeof v.lanes === 'number';
  if (v.type !== 'action') return false;
  const actions: readonly string[] = ['retry', 'replay', 'cancel', 'openLog', 'showInGraph', 'comparePrevious', 'openArtifact', 'diffDefinition'];
  return typeof v.action === 'string' && actions.includes(v.action) && (v.block === undefined || typeof v.block === 'string') && (v.path === undefined || typeof v.path === 'string');
}
