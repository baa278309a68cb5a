import * as vscode from 'vscode';
import { exportRuns, toFile } from '../../../core/src/cli/exportCommand.ts';
import { cancelRun, existingService } from '../../../core/src/cli/runControl.ts';
import { isFinalStatus, isRetryableRun } from '../../../core/src/model/status.ts';
import { parseQuery, QueryError, TRIGGER_KINDS } from '../../../core/src/query/index.ts';
import { openStore, type RunStore } from '../../../core/src/store/index.ts';
import { WINDOW_ROWS, type Action, type Completions, type HostMessage, type OpenTarget, type Sort, type WebviewMessage } from '../../../webview/src/dashboard/protocol.ts';
import { runState, type StoreHold } from '../runState/index.ts';
import { withWritableStore } from '../history/targets.ts';
import { dashboardHtml } from './dashboardHtml.ts';
import { parseDashboardMessage } from './messageValidation.ts';
import { logBlockRunOf, queryFigures, rowOf, STATUS_VALUES } from './rows.ts';
import type { RunStateSource } from './runStateSource.ts';

export const DASHBOARD_VIEW_TYPE = 'pipelineStudio.executions';
const QUERY_STATE_KEY = 'pipelineStudio.dashboard.query';
/** Live updates: at most this often, however fast runs write (the issue allows 500 ms behind). */
const LIVE_MS = 250;
const ASK_ABOVE = 5;

/** What the panel shows, as plain data (for `pipelineStudio.internal.dashboardState` and tests). */
export interface DashboardState {
  ready: boolean;
  storePath: string | undefined;
  query: string;
  sort: Sort;
  total: number;
  problem: string | undefined;
  lastAction: string | undefined;
  /** Run ids of the last result's first window, in the table's order. */
  rows: number[];
}

/**
 * The executions dashboard's host: reads the store for the webview's queries and windows of rows,
 * and does its batch actions (retry through the run commands, cancel through the store's runner
 * service or the owning process, delete, export). Re-reads when the run-state source says the store changed.
 */
export class DashboardPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly source: RunStateSource;
  private readonly memento: vscode.Memento;
  private readonly disposables: vscode.Disposable[] = [];
  private connection: StoreHold | undefined;
  private query: string;
  private sort: Sort = { field: 'id', direction: 'desc' };
  private generation = 0;
  private total = 0;
  private ready = false;
  private problem: string | undefined;
  private lastAction: string | undefined;
  private firstRows: number[] = [];
  private liveTimer: NodeJS.Timeout | undefined;
  private pendingSelect: number[] | undefined;
  private readonly onDisposed: () => void;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, source: RunStateSource, memento: vscode.Memento, onDisposed: () => void) {
    this.panel = panel;
    this.source = source;
    this.memento = memento;
    this.onDisposed = onDisposed;
    this.query = memento.get<string>(QUERY_STATE_KEY) ?? '';
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.title = 'Executions';
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    const uri = (name: string): string => panel.webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
    panel.webview.html = dashboardHtml({ cspSource: panel.webview.cspSource, scriptUri: uri('dashboard.js'), styleUri: uri('dashboard.css') });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      source.onDidChange((change) => {
        if (change.storePath === this.connection?.path) this.scheduleLive();
      }),
    );
  }

  get state(): DashboardState {
    return { ready: this.ready, storePath: this.connection?.path, query: this.query, sort: this.sort, total: this.total, problem: this.problem, lastAction: this.lastAction, rows: this.firstRows };
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** From a run's context menu: that pipeline's runs, with the run selected. */
  focusRun(runId: number, pipelineName: string): void {
    this.query = `pipeline:"${pipelineName.replaceAll('"', '\\"')}"`;
    this.pendingSelect = [runId];
    if (this.ready) this.init();
  }

  /** For tests and the command palette: as if typed in the query box. */
  setQuery(query: string, sort?: Sort): void {
    this.query = query;
    if (sort !== undefined) this.sort = sort;
    if (this.ready) this.init();
  }

  /** Runs an action as the toolbar does (tests drive the panel this way as well as through the webview). */
  act(action: Action, runIds: number[], all: boolean): Promise<void> {
    return this.action(action, runIds, all);
  }

  /** Opens a run's log, file or graph as its row does. */
  openRow(runId: number, target: OpenTarget): Promise<void> {
    return this.open(runId, target);
  }

  dispose(): void {
    clearTimeout(this.liveTimer);
    this.connection?.release();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.onDisposed();
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseDashboardMessage(raw);
    if (message === undefined) return;
    try {
      await this.handle(message);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Executions: {0}', error instanceof Error ? error.message : String(error)));
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.init();
        return;
      case 'query':
        this.query = message.query;
        this.sort = message.sort;
        await this.memento.update(QUERY_STATE_KEY, message.query);
        this.runQuery();
        return;
      case 'window': {
        if (message.generation !== this.generation) return;
        const rows = this.read((store) => store.listRuns({ text: this.query, sort: this.sort, offset: message.offset, limit: message.limit })) ?? [];
        this.post({ type: 'rows', generation: message.generation, offset: message.offset, rows: rows.map(rowOf) });
        return;
      }
      case 'action':
        await this.action(message.action, message.runIds, message.all);
        return;
      case 'open':
        await this.open(message.runId, message.target);
        return;
      case 'selectAll':
        this.selectAllMatching();
        return;
    }
  }

  private init(): void {
    const path = this.source.storePath;
    if (this.connection?.path !== path) {
      this.connection?.release();
      this.connection = path === undefined ? undefined : runState().hold(path);
    }
    this.post({ type: 'init', query: this.query, sort: this.sort, completions: this.completions(), storePath: path });
    if (this.pendingSelect !== undefined) {
      this.post({ type: 'select', runIds: this.pendingSelect });
      this.pendingSelect = undefined;
    }
  }

  private runQuery(): void {
    const generation = ++this.generation;
    try {
      parseQuery(this.query);
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      this.problem = error.describe();
      this.firstRows = [];
      this.post({ type: 'result', generation, total: 0, metrics: undefined, chart: undefined, problem: { message: error.message, column: error.column, length: error.length } });
      return;
    }
    this.problem = undefined;
    const result = this.read((store) => ({ ...queryFigures(store, this.query), rows: store.listRuns({ text: this.query, sort: this.sort, limit: WINDOW_ROWS }).map(rowOf) }));
    this.total = result?.total ?? 0;
    this.firstRows = result?.rows.map((r) => r.id) ?? [];
    this.post({ type: 'result', generation, total: this.total, metrics: result?.metrics, chart: result?.chart, problem: undefined, rows: result?.rows });
  }

  /** Selects every run the query matches (ids only: runFacts reads no block counts). */
  selectAllMatching(): void {
    const ids = this.read((store) => store.runFacts({ text: this.query }).map((f) => f.id)) ?? [];
    this.post({ type: 'select', runIds: ids });
  }

  private scheduleLive(): void {
    if (this.liveTimer !== undefined || !this.ready) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      this.post({ type: 'changed' });
    }, LIVE_MS);
  }

  private completions(): Completions {
    const pipelines = this.read((store) => store.listPipelines().map((p) => p.pipelineName)) ?? [];
    const columns = this.read((store) => store.runColumns({})) ?? { variables: [], properties: [] };
    const branches = this.read((store) => [...new Set(store.listRuns({ limit: 500 }).flatMap((r) => (r.git?.branch === undefined ? [] : [r.git.branch])))]) ?? [];
    const blocks = [...new Set(columns.properties.map((p) => p.split('.')[0] ?? ''))].filter((b) => b !== '');
    return { pipelines: [...new Set(pipelines)].sort(), branches: branches.sort(), variables: columns.variables, statuses: [...STATUS_VALUES], triggers: [...TRIGGER_KINDS], blocks };
  }

  private async action(action: Action, selected: number[], all: boolean): Promise<void> {
    const path = this.connection?.path;
    if (path === undefined) return;
    const ids = (text: string): number[] => this.read((store) => store.listRuns({ text, limit: 1_000_000 }).map((r) => r.id)) ?? [];
    const scope = (extra: string): string => [this.query.trim() === '' ? '' : `(${this.query})`, extra].filter((s) => s !== '').join(' ');
    switch (action) {
      case 'retrySelected':
      case 'retryIncomplete': {
        const runs = action === 'retrySelected' ? selected : ids(scope('status:failed,cancelled,interrupted'));
        const retryable = runs.filter((id) => {
          const status = this.read((store) => store.getRun(id)?.status);
          return status !== undefined && isRetryableRun(status);
        });
        if (retryable.length === 0) return this.notice('None of these runs has failed, cancelled or interrupted blocks to retry.');
        if (retryable.length > ASK_ABOVE && !(await confirm(`Retry ${retryable.length} runs? Each starts a new run of its failed blocks.`, 'Retry'))) return;
        for (const runId of retryable) await vscode.commands.executeCommand('pipelineStudio.retryFailedBlocks', { runId, storePath: path });
        return this.notice(`Retrying ${retryable.length} run${retryable.length === 1 ? '' : 's'}${runs.length > retryable.length ? ` (${runs.length - retryable.length} had nothing to retry)` : ''}.`);
      }
      case 'cancelSelected':
      case 'cancelAllRunning': {
        const runs = action === 'cancelSelected' ? selected : ids(scope('status:initial,running'));
        const store = this.connection;
        if (store === undefined) return;
        const service = await existingService(path);
        const lines: string[] = [];
        try {
          for (const id of runs) {
            const run = store.read((s) => s.getRun(id));
            if (run === undefined || isFinalStatus(run.status)) continue;
            const outcome = await store.read((s) => cancelRun(s, run, service));
            if (outcome !== undefined) lines.push(outcome.message);
          }
        } finally {
          await service?.close();
        }
        return this.notice(lines.length === 0 ? 'No selected run is running.' : lines.join(' '));
      }
      case 'deleteSelected': {
        const deletable = selected.filter((id) => {
          const status = this.read((store) => store.getRun(id)?.status);
          return status !== undefined && isFinalStatus(status);
        });
        if (deletable.length === 0) return this.notice('Running runs are never deleted; cancel them first.');
        const skipped = selected.length - deletable.length;
        if (!(await confirm(`Delete ${deletable.length} run${deletable.length === 1 ? '' : 's'} with their block logs?${skipped > 0 ? ` (${skipped} still running, kept.)` : ''}`, 'Delete'))) return;
        const result = withWritableStore(path, (store) => deletable.filter((id) => store.deleteRun(id)).length);
        if ('error' in result) return this.notice(result.error);
        this.post({ type: 'select', runIds: [] });
        this.scheduleLive();
        return this.notice(`Deleted ${result.value} run${result.value === 1 ? '' : 's'}.`);
      }
      case 'exportCsv':
      case 'exportJson': {
        const format = action === 'exportCsv' ? 'csv' : 'json';
        const text = all || selected.length === 0 ? this.query : scope(`(${selected.map((id) => `#${id}`).join(' OR ')})`);
        const target = await vscode.window.showSaveDialog({
          title: `Export ${all || selected.length === 0 ? 'all matching' : `${selected.length} selected`} runs as ${format.toUpperCase()}`,
          defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()), `runs.${format}`), filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
        });
        if (target === undefined) return;
        // A connection of its own: the export awaits the file between pages, while the panel's connection may be re-opened.
        const store = openStore(path, { readonly: true });
        let count: number;
        try {
          // JSON: the run-level record (`export --format json`), not --details (about 9 KB a run, 40 s for 100,000).
          count = await toFile(target.fsPath, (write) => exportRuns(store, { text, format, details: false }, write));
        } finally {
          store.close();
        }
        return this.notice(`Exported ${count} run${count === 1 ? '' : 's'} to ${target.fsPath}.`);
      }
      case 'compare': {
        if (selected.length < 2 || selected.length > 5 || path === undefined) return this.notice('Select 2 to 5 runs to compare them.');
        await vscode.commands.executeCommand('pipelineStudio.compareRuns', { storePath: path, runIds: selected });
        return;
      }
    }
  }

  private async open(runId: number, target: OpenTarget): Promise<void> {
    const run = this.read((store) => store.getRun(runId));
    if (run === undefined || this.connection === undefined) return;
    const arg = { runId, storePath: this.connection.path, file: run.pipelineFile };
    if (target === 'graph') await vscode.commands.executeCommand('pipelineStudio.showRunInGraph', arg);
    else if (target === 'file') await vscode.commands.executeCommand('pipelineStudio.openPipelineFile', arg);
    else await this.openLog(runId, arg.storePath);
  }

  /** A run's log: its failed block's (latest attempt), else the block that ran last; the log document follows it while it runs. */
  private async openLog(runId: number, storePath: string): Promise<void> {
    const blockRunId = this.read((store) => logBlockRunOf(store.blockRuns(runId)));
    if (blockRunId === undefined) {
      this.notice(`Run #${runId} has no block log yet: no block has started.`);
      return;
    }
    await vscode.commands.executeCommand('pipelineStudio.openBlockLog', { storePath, blockRunId });
  }

  private notice(text: string): void {
    this.lastAction = text;
    this.post({ type: 'notice', text });
  }

  private read<T>(fn: (store: RunStore) => T): T | undefined {
    const connection = this.connection;
    if (connection === undefined) return undefined;
    connection.checkFile();
    return connection.read(fn);
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }
}

async function confirm(message: string, verb: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true }, verb)) === verb;
}
