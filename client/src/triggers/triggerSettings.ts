import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../settings.ts';
import { ENABLED_SETTING, LONG_RUNNING_SETTING } from './ids.ts';

export type TriggersSetting = 'ask' | 'on' | 'off';

export function triggersSetting(): TriggersSetting {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>(ENABLED_SETTING, 'ask');
  return value === 'on' || value === 'off' ? value : 'ask';
}

export function longRunningAlert(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(LONG_RUNNING_SETTING, true);
}
