import * as vscode from 'vscode';
import { ALLOWED_STATE, ENABLED_SETTING } from './ids.ts';
import type { TriggerController } from './triggerController.ts';
import { triggersSetting } from './triggerSettings.ts';
import { SETTINGS_SECTION } from '../settings/settings.ts';

const HAS_TRIGGERS = /^(triggers|schedule)[ \t]*:/m;
const ENABLE = 'Enable';
const NOT_HERE = "Don't Enable";

/**
 * Whether triggers run in this window: never in an untrusted workspace (a trigger runs the commands
 * of its file); else as `pipelineStudio.triggers.enabled` says, and for `ask` (the default) only
 * after the user said yes to "Enable triggers for this workspace?", asked the first time a file with
 * triggers is opened. The answer is kept in the workspace state. Nothing fires before a yes.
 */
export class TriggerEnablement {
  private readonly state: vscode.Memento;
  private readonly controller: TriggerController;
  private asked = false;

  constructor(state: vscode.Memento, controller: TriggerController) {
    this.state = state;
    this.controller = controller;
  }

  /** The workspace's answer: true, false, or undefined when not asked yet. */
  get allowed(): boolean | undefined {
    return this.state.get<boolean>(ALLOWED_STATE);
  }

  shouldRun(): boolean {
    if (!vscode.workspace.isTrusted) return false;
    const setting = triggersSetting();
    return setting === 'on' || (setting === 'ask' && this.allowed === true);
  }

  /** Starts or stops the scheduling to match trust, the setting and the answer. */
  async apply(): Promise<void> {
    if (this.shouldRun()) await this.controller.start();
    else await this.controller.stop();
  }

  /** A document was opened: the first one with triggers asks, when the setting says to. */
  async maybeAsk(document: vscode.TextDocument): Promise<void> {
    if (this.asked || document.languageId !== 'pipeline' || !vscode.workspace.isTrusted) return;
    if (triggersSetting() !== 'ask' || this.allowed !== undefined || !HAS_TRIGGERS.test(document.getText())) return;
    this.asked = true;
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Enable triggers for this workspace? Pipelines with triggers will then run on their own (schedules, file changes, chaining) while this workspace is open.'),
      ENABLE, NOT_HERE,
    );
    if (choice === undefined) return;
    await this.setAllowed(choice === ENABLE);
  }

  /** Enable/Disable Triggers for this workspace (the question's answer, or the setting when it is not `ask`). */
  async setAllowed(allowed: boolean): Promise<void> {
    await this.state.update(ALLOWED_STATE, allowed);
    const setting = triggersSetting();
    // The setting wins over the answer; a user who asks for the other state in this workspace gets it.
    if ((setting === 'off' && allowed) || (setting === 'on' && !allowed)) {
      await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(ENABLED_SETTING, allowed ? 'on' : 'off', vscode.ConfigurationTarget.Workspace);
    }
    await this.apply();
  }
}
