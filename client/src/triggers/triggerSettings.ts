import { setting } from '../settings/settings.ts';

export type TriggersSetting = 'ask' | 'on' | 'off';

export function triggersSetting(): TriggersSetting {
  return setting('triggers.enabled');
}

export function longRunningAlert(): boolean {
  return setting('triggers.longRunningAlert');
}
