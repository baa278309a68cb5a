import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { RunRefusedData } from '../runner/protocol.ts';
import type { RunStatus } from '../store/types.ts';
import type { Alert, TriggerListing } from './scheduler.ts';

/**
 * The triggers' part of the runner service's protocol (see ../runner/protocol.ts): an editor window
 * whose user enabled triggers asks the service of its store to schedule its folders' pipelines. The
 * service runs one scheduler per store, for every window that asked; the store's lease still lets
 * one scheduler per store fire, whether in this service, another machine's or a headless one.
 * File events come from the editor's watcher (FileEventsNotification), not from a second watcher.
 */

export interface EnableTriggersParams {
  /** The run store; its scheduler records fires and runs there. */
  store: string;
  /** Folders whose pipeline files' triggers this window wants scheduled (absolute). */
  folders: string[];
  /**
   * Triggers this window had turned off before they were kept in the store (`<file>#<trigger>`, see
   * triggerKey): the service turns them off in the store, once; the window then forgets its list.
   */
  disabled: string[];
  /** Alert on runs that take 3× their pipeline's median duration. */
  longRunningAlert: boolean;
}

/** Globs (relative to `folder`) whose created or changed files fire a `files:` trigger. */
export interface WatchRequest {
  folder: string;
  globs: string[];
}

export interface TriggerState {
  store: string;
  /** This service's scheduler holds the store's lease (it fires); otherwise another scheduler does. */
  leader: boolean;
  triggers: TriggerListing[];
  /** Files that keep no triggers, and why (`path:line:col: code: message`). */
  refused: string[];
  /** What the editor's watcher must report to the service. */
  watch: WatchRequest[];
  /** Triggered runs in flight. */
  running: number;
}

export interface TriggerAlert extends Alert {
  store: string;
  pipeline: string;
  /** The run's status when the alert was raised (`failed`, or `running` for a missed SLA or a long run). */
  status: RunStatus;
}

/** Client → service: schedule these folders' triggers (again, with new settings); answers the state. */
export const EnableTriggersRequest = new RequestType<EnableTriggersParams, TriggerState, void>('pipeline/triggers/enable');

/** Client → service: this window no longer wants triggers on the store (its runs in flight finish). */
export const DisableTriggersRequest = new RequestType<{ store: string }, Record<string, never>, void>('pipeline/triggers/disable');

/** Client → service: files created, changed or deleted, as the editor's watcher saw them (absolute paths). */
export const FileEventsNotification = new NotificationType<{ paths: string[] }>('pipeline/triggers/files');

/** Client → service: turn a trigger off (or on) in the store, for every window and scheduler on it; answers the state. */
export const SetTriggerDisabledRequest = new RequestType<{ store: string; file: string; trigger: string; disabled: boolean }, TriggerState, RunRefusedData>('pipeline/triggers/setDisabled');

/** Client → service: run a trigger now (the user asked), with its variables and label; refused like a startRun. */
export const RunTriggerNowRequest = new RequestType<{ store: string; file: string; trigger: string }, { runId: number; store: string }, RunRefusedData>('pipeline/triggers/runNow');

/** Service → client: the scheduler's triggers, next fires and lease changed. */
export const TriggerStateNotification = new NotificationType<TriggerState>('pipeline/triggers/state');

/** Service → client: a triggered run failed, missed its SLA, reached a `warn` timeout, or is long-running. */
export const TriggerAlertNotification = new NotificationType<TriggerAlert>('pipeline/triggers/alert');

/** Service → client: a line of the scheduler's log (fires, run ends, files that keep no triggers). */
export const TriggerLogNotification = new NotificationType<{ store: string; line: string }>('pipeline/triggers/log');
