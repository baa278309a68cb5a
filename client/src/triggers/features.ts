import type { TriggerEnablement } from './enablement.ts';
import type { TriggerController } from './triggerController.ts';
import type { UpcomingTreeProvider } from './upcomingTree.ts';

/** What the trigger commands work with. */
export interface TriggerFeatures {
  controller: TriggerController;
  enablement: TriggerEnablement;
  upcoming: UpcomingTreeProvider;
}
