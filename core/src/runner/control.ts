import type { RunHandle } from './engine.ts';

/**
 * Requests that steer a run from outside the process that owns it (`pipeline-studio pause RUN`,
 * the editor's buttons): the owner answers them on its control channel, the runner service's
 * socket for editor runs or the run's own control socket for a CLI run (controlSocket.ts).
 */
export type ControlAction =
  | { action: 'pause'; now?: boolean }
  | { action: 'resume' }
  | { action: 'cancel' }
  | { action: 'approve' | 'reject'; block: string; comment?: string; user: string };

export interface ControlAnswer {
  ok: boolean;
  /** For people: what happened, or why nothing did. */
  message: string;
}

/** Applies a control request to a run this process owns. */
export function applyControl(handle: RunHandle, request: ControlAction): ControlAnswer {
  switch (request.action) {
    case 'pause':
      return handle.pause(request.now === true);
    case 'resume':
      return handle.resume();
    case 'cancel':
      handle.cancel();
      return { ok: true, message: `Run #${handle.runId} is being cancelled.` };
    case 'approve':
    case 'reject':
      return handle.decide(request.block, { approved: request.action === 'approve', user: request.user, comment: request.comment });
  }
}
