import * as vscode from 'vscode';
import { validatePipeline } from '../../../core/src/validate/validate.ts';
import { nextFireAfter } from '../../../core/src/triggers/nextFire.ts';
import { formatNext } from './format.ts';
import { DISABLE_TRIGGER, ENABLE_TRIGGER, ENABLE_TRIGGERS, RUN_TRIGGER_NOW, SHOW_UPCOMING } from './ids.ts';
import type { TriggerController } from './triggerController.ts';

const CLOCK_KINDS = new Set(['cron', 'every', 'at', 'always']);

/**
 * Above each trigger: "next: Tue 03:00 (in 7 h) · Run now". The next fire is the scheduler's when
 * triggers are on and the file is saved, else computed from the text as it is (an edit shows at once).
 */
export class TriggerCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly controller: TriggerController;
  private readonly subscriptions: vscode.Disposable[];

  constructor(controller: TriggerController) {
    this.controller = controller;
    let timer: NodeJS.Timeout | undefined;
    this.subscriptions = [
      controller.onDidChange(() => {
        timer ??= setTimeout(() => {
          timer = undefined;
          this.changed.fire();
        }, 300);
      }),
      { dispose: () => clearTimeout(timer) },
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || !/^(triggers|schedule)[ \t]*:/m.test(document.getText())) return [];
    const { pipeline } = validatePipeline(document.getText(), { fileName: document.uri.fsPath });
    const file = document.uri.fsPath;
    const listed = new Map(this.controller.allStates.flatMap((s) => s.triggers).filter((t) => t.file === file).map((t) => [t.trigger, t]));
    const active = this.controller.isActive;
    const now = Date.now();
    const lenses: vscode.CodeLens[] = [];
    for (const trigger of pipeline.triggers) {
      if (trigger.kind === undefined) continue;
      const start = document.positionAt(trigger.nameSpan.start);
      const range = new vscode.Range(start, start);
      const ref = { file, trigger: trigger.name, offset: trigger.nameSpan.start };
      const listing = listed.get(trigger.name);
      const disabled = listing?.disabled ?? this.controller.isDisabled(file, trigger.name);
      const next = listing !== undefined && !document.isDirty ? listing.next : CLOCK_KINDS.has(trigger.kind) ? nextFireAfter(trigger, now) : undefined;
      const when = CLOCK_KINDS.has(trigger.kind) ? formatNext(next, now) : trigger.kind === 'files' ? `on change of ${trigger.files.map((f) => f.value).join(', ')}` : `after ${trigger.after?.value.trim() ?? '?'} (${trigger.afterStatus})`;
      if (!active) {
        lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('{0} · triggers off', when), command: ENABLE_TRIGGERS, tooltip: vscode.l10n.t('Triggers are not enabled for this workspace: click to enable them') }));
        continue;
      }
      if (disabled) {
        lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('disabled · {0}', when), command: ENABLE_TRIGGER, arguments: [ref], tooltip: vscode.l10n.t('Disabled on this store, for every window and scheduler: click to enable it again') }));
        continue;
      }
      lenses.push(
        new vscode.CodeLens(range, { title: when, command: SHOW_UPCOMING, tooltip: next !== undefined ? new Date(next).toString() : vscode.l10n.t('Show the upcoming fires') }),
        new vscode.CodeLens(range, { title: vscode.l10n.t('Run now'), command: RUN_TRIGGER_NOW, arguments: [ref], tooltip: vscode.l10n.t('Run \'{0}\' now, with its variables', trigger.name) }),
        new vscode.CodeLens(range, { title: vscode.l10n.t('Disable'), command: DISABLE_TRIGGER, arguments: [ref], tooltip: vscode.l10n.t('Stop this trigger firing, for every window and scheduler on its store (the file is not changed)') }),
      );
    }
    return lenses;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
