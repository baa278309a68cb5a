import * as vscode from 'vscode';
import { ResponseError } from 'vscode-jsonrpc';
import type { ControlAction, ControlAnswer } from '../../../core/src/runner/control.ts';
import type { RunEvent } from '../../../core/src/runner/events.ts';
import type { RunPlan } from '../../../core/src/runner/plan.ts';
import type { LiveRunInfo, PlanParams, RunRefusedData } from '../../../core/src/runner/protocol.ts';
import type { Selection } from '../../../core/src/runner/selection.ts';
import type { VariableValue } from '../../../core/src/runner/variables.ts';
import type { RunTrigger } from '../../../core/src/store/types.ts';
import { RunProgress, runKey } from './activeRun.ts';
import { RunTerminal } from './runTerminal.ts';
import { runSettings } from '../settings/settings.ts';
import { runsLog, showRunError } from './runsLog.ts';
import { ServiceProcess } from './serviceProcess.ts';
import { storePathForRun } from '../runState/storeLocation.ts';

export interface LaunchRequest {
  file: vscode.Uri;
  pipelineName: string;
  selection: Selection;
  variables: Record<string, VariableValue>;
  trigger: RunTrigger;
  /** The store to record in; default the pipeline's (retry and replay use the source run's). */
  store?: string;
  concurrency?: number;
  noCache?: boolean;
  /** "Run on…": an executor profile for the blocks without their own `executor:`. */
  executor?: string;
  /** Also show a cancellable progress notification (runs started from the command palette). */
  showProgress: boolean;
  /** Settle when the run has finished, not when it has started. */
  wait: boolean;
  /** A `profiles:` entry of the file to apply (recorded with the run). */
  profile?: string;
}

interface TrackedRun {
  progress: RunProgress;
  terminal: RunTerminal;
  finished: Promise<void>;
  markFinished: () => void;
}

/** The open-log command the run history contributes; runs fall back to their terminal without it. */
const OPEN_BLOCK_LOG = 'pipelineStudio.openBlockLog';
export const RETRY_FAILED = 'pipelineStudio.retryFailedBlocks';

/**
 * Starts runs through the runner service, gives each its terminal, follows their events, and
 * reports their end. Every run the editor starts goes through here.
 */
export class RunController implements vscode.Disposable {
  private readonly service: ServiceProcess;
  private readonly runs = new Map<string, TrackedRun>();
  /** Events of runs whose start has not been answered yet (the service sends them first). */
  private readonly early = new Map<string, RunEvent[]>();
  /** Starts asked of a service and not yet answered: their runs may already be going. */
  private readonly starting = new Set<Promise<unknown>>();
  private readonly terminals: { file: string; terminal: RunTerminal }[] = [];
  private readonly changed = new vscode.EventEmitter<RunProgress>();
  /** A run started, a block changed status, or a run finished. */
  readonly onDidChangeRun = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(cliPath: string) {
    this.service = new ServiceProcess({
      cliPath,
      onRunEvent: (event) => this.handle(runKey(event.store, event.runId), event),
      onLogChunk: (event) => this.handle(runKey(event.store, event.runId), event),
      onStderr: (line) => runsLog().warn(`[service] ${line}`),
      onExit: (description, store) => this.serviceGone(description, store),
    });
    this.disposables.push(
      this.changed,
      vscode.window.onDidCloseTerminal((closed) => {
        const i = this.terminals.findIndex((t) => t.terminal.terminal === closed);
        if (i >= 0) this.terminals.splice(i, 1);
      }),
    );
  }

  /** Runs still going, oldest first. */
  get activeRuns(): RunProgress[] {
    return [...this.runs.values()].map((r) => r.progress).filter((p) => p.finished === undefined);
  }

  /** Starts a run; its number, or undefined when it was refused (the reason has been shown). */
  async launch(request: LaunchRequest): Promise<number | undefined> {
    const store = request.store ?? storePathForRun(request.file);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === request.file.toString());
    let started: { runId: number; store: string };
    let answered: Promise<unknown> | undefined;
    try {
      const asked = this.service.startRun({
        file: request.file.fsPath,
        // An unsaved editor buffer runs as shown.
        text: document?.isDirty === true ? document.getText() : undefined,
        variables: request.variables,
        selection: request.selection,
        concurrency: request.concurrency ?? runSettings(request.file).concurrency,
        noCache: request.noCache,
        trigger: request.trigger,
        store,
        logCapBytes: runSettings(request.file).logCapBytes,
        hashLimitBytes: runSettings(request.file).hashLimitBytes,
        ...(request.profile === undefined ? {} : { profile: request.profile }),
        ...(request.executor === undefined ? {} : { executorOverride: request.executor }),
        containerEngine: runSettings(request.file).containerEngine,
      });
      answered = asked.catch(() => undefined);
      this.starting.add(answered);
      started = await asked;
    } catch (error) {
      this.refused(request.pipelineName, error);
      return undefined;
    } finally {
      if (answered !== undefined) this.starting.delete(answered);
    }
    const key = runKey(started.store, started.runId);
    const early = this.early.get(key) ?? [];
    this.early.delete(key);
    const name = early.find((e) => e.type === 'run-started')?.pipelineName ?? request.pipelineName;
    if (runSettings(request.file).terminals === 'reuse') this.disposeFinishedTerminals(request.file.fsPath);
    const ref = { runId: started.runId, store: started.store };
    const terminal = new RunTerminal(`▶ ${name} #${started.runId}`, () => void this.cancelRun(ref));
    this.terminals.push({ file: request.file.fsPath, terminal });
    const tracked = this.track(key, new RunProgress(started.runId, started.store, name, request.file.fsPath), terminal);
    terminal.reveal();
    for (const event of early) this.handle(key, event);
    runsLog().info(`Started ${name} #${started.runId} (${request.selection.mode}) in ${started.store}`);
    if (request.showProgress && tracked.progress.finished === undefined) this.showProgress(tracked);
    if (request.wait) await tracked.finished;
    return started.runId;
  }

  /**
   * Follows the runs in flight in the services of these stores, started by an earlier extension
   * host of this window (before a reload) or by another window: each gets its terminal back, with
   * what it printed so far, then live. Starts no service.
   */
  async reattach(stores: readonly string[]): Promise<number> {
    const started = Date.now();
    let adopted = 0;
    for (const store of new Set(stores)) {
      try {
        for (const info of await this.service.liveRuns(store)) if (await this.adopt(info)) adopted++;
      } catch (error) {
        runsLog().warn(`Could not reattach to the runs of ${store}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (adopted > 0) runsLog().info(`Reattached to ${adopted} run${adopted === 1 ? '' : 's'} in flight in ${Date.now() - started} ms`);
    return adopted;
  }

  /**
   * The live runs once every start asked so far has its answer: a run's blocks can be going (and
   * seen by the user) a moment before the service's answer to its start arrives.
   */
  async settledActiveRuns(): Promise<RunProgress[]> {
    await Promise.allSettled([...this.starting]);
    return this.activeRuns;
  }

  /** Resolves when the run has finished (at once when it is not one of this window's live runs). */
  whenFinished(store: string, runId: number): Promise<void> {
    return this.runs.get(runKey(store, runId))?.finished ?? Promise.resolve();
  }

  async cancelRun(ref: { runId: number; store: string }): Promise<boolean> {
    const { cancelled } = await this.service.cancelRun(ref);
    return cancelled;
  }

  async cancelBlock(ref: { runId: number; store: string }, block: string): Promise<boolean> {
    const { cancelled } = await this.service.cancelBlock(ref, block);
    return cancelled;
  }

  /** Pause, resume, approve or reject through the store's service; undefined when no service runs there. */
  controlRun(ref: { runId: number; store: string }, action: ControlAction): Promise<ControlAnswer | undefined> {
    return this.service.controlRun(ref, action);
  }

  plan(params: PlanParams): Promise<RunPlan> {
    return this.service.plan(params);
  }

  /** Shows the terminal of a live run (the newest when not given). */
  reveal(key?: string): void {
    const run = key !== undefined ? this.runs.get(key) : this.runs.get(this.activeRuns.at(-1)?.key ?? '');
    run?.terminal.reveal();
  }

  dispose(): void {
    // Runs go on in their service: the next window of this workspace (after a reload) reattaches.
    void this.service.dispose();
    for (const d of this.disposables) d.dispose();
  }

  /** Lets deactivate() close the connections to the services (their runs go on). */
  shutdown(): Promise<void> {
    return this.service.dispose();
  }

  private async adopt(info: LiveRunInfo): Promise<boolean> {
    const key = runKey(info.store, info.runId);
    // A debug run is stepped by the debugger that started it, which is gone with its window;
    // a child run's output is already in its parent's terminal.
    if (this.runs.has(key) || info.debug || info.parentRunId !== undefined) return false;
    const replay = await this.service.attachRun(info);
    const early = this.early.get(key) ?? [];
    this.early.delete(key);
    if (replay === null || this.runs.has(key)) return false;
    const ref = { runId: info.runId, store: info.store };
    const terminal = new RunTerminal(`▶ ${info.pipelineName} #${info.runId}`, () => void this.cancelRun(ref));
    this.terminals.push({ file: info.pipelineFile, terminal });
    this.track(key, new RunProgress(info.runId, info.store, info.pipelineName, info.pipelineFile), terminal);
    if (replay.skippedChars > 0) terminal.note(`(${replay.skippedChars} characters of earlier output are not shown again; the run's stored logs have them)`);
    for (const event of [...replay.events, ...early]) this.handle(key, event);
    terminal.reveal();
    runsLog().info(`Reattached to ${info.pipelineName} #${info.runId} in ${info.store}`);
    return true;
  }

  private track(key: string, progress: RunProgress, terminal: RunTerminal): TrackedRun {
    let markFinished = (): void => undefined;
    const finished = new Promise<void>((resolve) => (markFinished = resolve));
    const tracked: TrackedRun = { progress, terminal, finished, markFinished };
    this.runs.set(key, tracked);
    return tracked;
  }

  private handle(key: string, event: RunEvent): void {
    const run = this.runs.get(key);
    if (run === undefined) {
      const list = this.early.get(key) ?? [];
      list.push(event);
      this.early.set(key, list);
      return;
    }
    run.progress.apply(event);
    run.terminal.render(event);
    if (event.type === 'log-chunk' || event.type === 'block-attempt') return;
    // A fan-out's items (`resize[3]`; block ids have no brackets) are shown through their block's
    // counts: 10,000 items must not re-render the run's views 30,000 times.
    if (event.type === 'block-status' && event.block.includes('[')) return;
    this.changed.fire(run.progress);
    if (event.type === 'run-finished') this.finish(key, run);
  }

  private finish(key: string, run: TrackedRun): void {
    this.runs.delete(key);
    run.markFinished();
    const { progress } = run;
    const result = progress.finished;
    runsLog().info(`${progress.pipelineName} #${progress.runId} ${result?.status ?? 'ended'}${result?.error !== undefined ? `: ${result.error}` : ''}`);
    if (result?.status !== 'failed') return;
    const failed = progress.failedBlocks;
    const what = failed.length > 0 ? `block${failed.length === 1 ? '' : 's'} ${failed.map((b) => `'${b}'`).join(', ')} failed` : (result.error ?? 'failed');
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} #{1} failed: {2}.', progress.pipelineName, progress.runId, what), 'Show Log', 'Retry Failed').then(async (choice) => {
      if (choice === 'Show Log') await this.showLog(run, failed[0]);
      if (choice === 'Retry Failed') await vscode.commands.executeCommand(RETRY_FAILED, { runId: progress.runId, storePath: progress.store });
    });
  }

  private async showLog(run: TrackedRun, block: string | undefined): Promise<void> {
    const commands = await vscode.commands.getCommands(true);
    if (block !== undefined && commands.includes(OPEN_BLOCK_LOG)) {
      await vscode.commands.executeCommand(OPEN_BLOCK_LOG, { runId: run.progress.runId, storePath: run.progress.store, block });
      return;
    }
    if (run.terminal.isClosed) {
      await vscode.commands.executeCommand('pipelineStudio.run.openStoredLog', { runId: run.progress.runId, storePath: run.progress.store, block });
      return;
    }
    run.terminal.reveal();
  }

  private showProgress(run: TrackedRun): void {
    const { progress } = run;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${progress.pipelineName} #${progress.runId}`, cancellable: true },
      async (report, token) => {
        token.onCancellationRequested(() => void this.cancelRun({ runId: progress.runId, store: progress.store }));
        let reported = 0;
        const listener = this.onDidChangeRun((changed) => {
          if (changed !== progress || progress.total === 0) return;
          const percent = (100 * progress.done) / progress.total;
          report.report({ message: `${progress.done}/${progress.total} blocks`, increment: percent - reported });
          reported = percent;
        });
        try {
          await run.finished;
        } finally {
          listener.dispose();
        }
      },
    );
  }

  private disposeFinishedTerminals(file: string): void {
    for (const entry of [...this.terminals]) {
      if (entry.file !== file || entry.terminal.isLive) continue;
      entry.terminal.dispose();
      this.terminals.splice(this.terminals.indexOf(entry), 1);
    }
  }

  private refused(name: string, error: unknown): void {
    if (error instanceof ResponseError) {
      const data = error.data as RunRefusedData | undefined;
      const problems = data?.problems ?? [error.message];
      runsLog().warn(`Run of ${name} refused:\n${problems.join('\n')}`);
      const detail = problems.length === 1 ? (problems[0] ?? '') : `${problems[0] ?? ''} (and ${problems.length - 1} more; see Show Logs)`;
      showRunError(`Cannot run ${name}: ${detail}`);
      return;
    }
    showRunError(`Cannot run ${name}`, error);
  }

  private serviceGone(description: string, store: string): void {
    for (const key of [...this.early.keys()]) if (key.startsWith(`${store}#`)) this.early.delete(key);
    const lost = [...this.runs.entries()].filter(([, run]) => run.progress.store === store);
    if (lost.length === 0) {
      runsLog().warn(`${description}; it starts again with the next run.`);
      return;
    }
    for (const [key, run] of lost) {
      this.runs.delete(key);
      run.terminal.note(`${description}. The run was stopped; the run history shows how far it got.`, true);
      run.markFinished();
      this.changed.fire(run.progress);
    }
    showRunError(`The Pipeline Studio runner stopped while ${lost.length === 1 ? 'a run was' : `${lost.length} runs were`} going`, description);
  }
}
