import { resolve } from 'node:path';
import * as vscode from 'vscode';
import type { RunPlan } from '../../../core/src/runner/plan.ts';
import type { RunProgress } from '../run/activeRun.ts';
import type { RunController } from '../run/runController.ts';
import { planMarkdown } from '../run/planText.ts';
import { storePathForReading } from '../runState/storeLocation.ts';
import type { PipelineTask } from './taskDefinition.ts';

const COMMAND_OF = { only: 'pipelineStudio.runBlock', upto: 'pipelineStudio.runUpToBlock', from: 'pipelineStudio.runFromBlock' } as const;

/**
 * The terminal of a `run` or `dryRun` task. The run goes through the same commands and runner
 * service as the ▶ button (same store, same run terminal with the blocks' output); this terminal
 * follows its progress and ends with the run: exit code 0 when it completed, 1 otherwise, so that
 * `dependsOn` and `preLaunchTask` stop on a failure. Terminating the task cancels the run.
 */
export class PipelineTaskTerminal implements vscode.Pseudoterminal {
  private readonly writes = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writes.event;
  private readonly closes = new vscode.EventEmitter<number>();
  readonly onDidClose = this.closes.event;
  private readonly controller: RunController;
  private readonly uri: vscode.Uri;
  private readonly task: PipelineTask;
  private run: { runId: number; store: string } | undefined;
  private listener: vscode.Disposable | undefined;
  private ended = false;

  constructor(controller: RunController, uri: vscode.Uri, task: PipelineTask) {
    this.controller = controller;
    this.uri = uri;
    this.task = task;
  }

  open(): void {
    void (this.task.action === 'dryRun' ? this.dryRun() : this.start()).catch((error: unknown) => {
      this.line(`Failed: ${error instanceof Error ? error.message : String(error)}`);
      this.end(1);
    });
  }

  /** The user terminated the task (or closed its terminal): the run is cancelled. */
  close(): void {
    const run = this.run;
    if (run !== undefined && !this.ended) void this.controller.cancelRun(run);
    this.end(undefined);
  }

  private async dryRun(): Promise<void> {
    const plan = await vscode.commands.executeCommand<RunPlan | undefined>('pipelineStudio.dryRun', this.uri, { noPrompt: true, variables: this.task.variables });
    if (plan === undefined) {
      this.line('The dry run was refused; the notification says why.');
      this.end(1);
      return;
    }
    for (const text of planMarkdown(plan).split('\n')) this.line(text);
    this.end(0);
  }

  private async start(): Promise<void> {
    const seen = new Map<string, RunProgress>();
    let shown = '';
    // Subscribed before the start: a short run may be over by the time its number comes back.
    this.listener = this.controller.onDidChangeRun((progress) => {
      seen.set(`${progress.store}#${progress.runId}`, progress);
      const run = this.run;
      if (run === undefined || progress.runId !== run.runId || resolve(progress.store) !== run.store) return;
      const state = `${progress.done}/${progress.total} blocks done${progress.running.length > 0 ? `, running ${progress.running.join(', ')}` : ''}`;
      if (state !== shown && progress.finished === undefined) this.line(state);
      shown = state;
      if (progress.finished !== undefined) this.finished(progress);
    });
    const options = { noPrompt: true, variables: this.task.variables };
    const block = this.task.block;
    const runId = block === undefined
      ? await vscode.commands.executeCommand<number | undefined>('pipelineStudio.runPipeline', this.uri, options)
      : await vscode.commands.executeCommand<number | undefined>(COMMAND_OF[block.mode], this.uri, block.id, options);
    if (typeof runId !== 'number') {
      this.line('The run did not start; the notification says why.');
      this.end(1);
      return;
    }
    const store = resolve(storePathForReading(this.uri));
    const progress = [...seen.values(), ...this.controller.activeRuns].find((p) => p.runId === runId && resolve(p.store) === store);
    this.run = { runId, store };
    this.line(`Run #${runId} of ${this.task.file} started: its output is in the terminal "▶ … #${runId}", its record in the Runs view.`);
    if (progress?.finished !== undefined) this.finished(progress);
  }

  private finished(progress: RunProgress): void {
    const result = progress.finished;
    if (result === undefined || this.ended) return;
    for (const b of result.blocks) this.line(`  ${b.block}: ${b.status}`);
    this.line(`Run #${progress.runId} ${result.status}${result.error !== undefined ? `: ${result.error}` : ''}.`);
    this.end(result.status === 'completed' ? 0 : 1);
  }

  private line(text: string): void {
    this.writes.fire(`${text}\r\n`);
  }

  private end(code: number | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.listener?.dispose();
    if (code !== undefined) this.closes.fire(code);
  }
}
