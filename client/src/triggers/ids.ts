// Command, view, setting and state ids of the triggers, shared by the views, commands and tests.

export const UPCOMING_VIEW = 'pipelineStudio.upcoming';

export const RUN_TRIGGER_NOW = 'pipelineStudio.triggers.runNow';
export const DISABLE_TRIGGER = 'pipelineStudio.triggers.disableTrigger';
export const ENABLE_TRIGGER = 'pipelineStudio.triggers.enableTrigger';
export const GO_TO_TRIGGER = 'pipelineStudio.triggers.goToDefinition';
export const ENABLE_TRIGGERS = 'pipelineStudio.triggers.enableForWorkspace';
export const DISABLE_TRIGGERS = 'pipelineStudio.triggers.disableForWorkspace';
export const TRIGGER_MENU = 'pipelineStudio.triggers.showMenu';
export const SHOW_UPCOMING = 'pipelineStudio.triggers.showUpcoming';
/** For the end-to-end tests: the Upcoming view's rows as text, and the scheduler's state. */
export const GET_UPCOMING = 'pipelineStudio.internal.getUpcoming';

/** `pipelineStudio.triggers.enabled`: ask (default) | on | off. */
export const ENABLED_SETTING = 'triggers.enabled';
/** `pipelineStudio.triggers.longRunningAlert`: alert on runs of 3× their pipeline's median duration. */
export const LONG_RUNNING_SETTING = 'triggers.longRunningAlert';

/** Workspace state: the answer to "Enable triggers for this workspace?" (true, false, or not asked). */
export const ALLOWED_STATE = 'pipelineStudio.triggers.allowed';
/** Workspace state of earlier versions: triggers the user disabled, as `<file>#<trigger>` keys (now kept in the store). */
export const DISABLED_STATE = 'pipelineStudio.triggers.disabled';

/** Context key: whether triggers run in this window (title buttons of the Upcoming view). */
export const ACTIVE_CONTEXT = 'pipelineStudio.triggers.active';
