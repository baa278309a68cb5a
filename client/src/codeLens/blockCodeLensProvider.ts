import * as vscode from 'vscode';
import { formatDuration } from '../../../core/src/util/duration.ts';
import { validatePipeline } from '../../../core/src/validate/validate.ts';
import { RUN_BLOCK } from '../commands/runBlock.ts';
import { RUN_BLOCK_ON } from '../commands/runBlockOn.ts';
import { RUN_FROM_BLOCK } from '../commands/runFromBlock.ts';
import { RUN_UP_TO_BLOCK } from '../commands/runUpToBlock.ts';
import { SHOW_PIPELINE_GRAPH } from '../commands/showPipelineGraph.ts';
import { runState } from '../runState/index.ts';
import { storePathForReading } from '../runState/storeLocation.ts';
import { statusStyle } from '../../../core/src/model/status.ts';
import { LastBlockRuns, type LastBlockRun } from './lastBlockRuns.ts';

export const OPEN_LAST_BLOCK_LOG = 'pipelineStudio.run.openLastBlockLog';

/**
 * Above every block: "▶ Run block", "Run up to here", "Run from here", and when the block has run
 * before, "Last: ✓ completed 3.2s", which opens that log. Positions come from the core's parser
 * (the same one the language server uses), so a lens sits on the block's id whatever the YAML style.
 */
export class BlockCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly lastRuns: LastBlockRuns;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    const model = runState();
    this.lastRuns = new LastBlockRuns((path) => model.hold(path));
    // A block finishing changes its "Last:" lens, whoever ran it (this window, the CLI, a scheduler);
    // the model has already merged bursts of changes into one per store.
    this.subscriptions.push(
      model.onDidChange((change) => {
        const open = new Set(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => d.uri.fsPath));
        if (this.lastRuns.changed(change.storePath, open)) this.changed.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    );
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    // Running needs trust; in Restricted Mode the lenses would only lead to a refusal.
    if (!vscode.workspace.isTrusted) return [];
    const { pipeline } = validatePipeline(document.getText(), { fileName: document.uri.fsPath });
    const last = document.uri.scheme === 'file' ? this.lastRuns.read(storePathForReading(document.uri), document.uri.fsPath) : new Map<string, LastBlockRun>();
    const lenses: vscode.CodeLens[] = [];
    for (const block of pipeline.blocks) {
      const start = document.positionAt(block.idSpan.start);
      const range = new vscode.Range(start, start);
      const args = [document.uri, block.id];
      lenses.push(
        new vscode.CodeLens(range, { title: vscode.l10n.t('▶ Run block'), command: RUN_BLOCK, arguments: args, tooltip: vscode.l10n.t('Run only \'{0}\', reusing the latest results of its upstream blocks', block.id) }),
        new vscode.CodeLens(range, { title: vscode.l10n.t('Run up to here'), command: RUN_UP_TO_BLOCK, arguments: args, tooltip: vscode.l10n.t('Run \'{0}\' and everything upstream of it', block.id) }),
        new vscode.CodeLens(range, { title: vscode.l10n.t('Run from here'), command: RUN_FROM_BLOCK, arguments: args, tooltip: vscode.l10n.t('Run \'{0}\' and everything downstream of it', block.id) }),
        // Only where there is a choice: the pipeline (or the workspace's executors.yaml) has profiles.
        ...(pipeline.executors.size > 0 ? [new vscode.CodeLens(range, { title: vscode.l10n.t('Run on…'), command: RUN_BLOCK_ON, arguments: args, tooltip: vscode.l10n.t('Run only \'{0}\' on an executor profile you pick', block.id) })] : []),
        new vscode.CodeLens(range, { title: vscode.l10n.t('Show in graph'), command: SHOW_PIPELINE_GRAPH, arguments: args, tooltip: vscode.l10n.t('Show the pipeline graph with \'{0}\' selected', block.id) }),
      );
      const previous = last.get(block.id);
      if (previous !== undefined) lenses.push(new vscode.CodeLens(range, lastRunCommand(previous)));
    }
    return lenses;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.lastRuns.dispose();
  }
}

function lastRunCommand({ record, store }: LastBlockRun): vscode.Command {
  const duration = record.startedAt !== undefined && record.finishedAt !== undefined ? ` ${formatDuration(record.finishedAt - record.startedAt)}` : '';
  const attempts = record.attempt > 1 ? ` (attempt ${record.attempt})` : '';
  return {
    title: `Last: ${statusStyle(record.status).glyph} ${statusStyle(record.status).label}${duration}${attempts}`,
    tooltip: vscode.l10n.t('Run #{0}{1}. Click to open its log.', record.runId, record.reason !== undefined ? `: ${record.reason}` : ''),
    command: OPEN_LAST_BLOCK_LOG,
    arguments: [{ runId: record.runId, storePath: store, block: record.block, blockRunId: record.id }],
  };
}
