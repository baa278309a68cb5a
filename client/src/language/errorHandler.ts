import { CloseAction, ErrorAction, type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult } from 'vscode-languageclient/node';
import { CrashBudget } from './crashBudget.ts';

/** Up to 4 restarts in 3 minutes, as vscode-languageclient's own default handler allows. */
const RESTARTS = 4;
const WINDOW_MS = 3 * 60 * 1000;

/** Write errors tolerated on the connection before it is given up as broken. */
const TOLERATED_ERRORS = 3;

/**
 * Restarts the server after a crash a few times, then stops and says so with our own message
 * (one with "Show Logs"), instead of the client's generic one. Every result is `handled`, so the
 * client only logs.
 */
export class RestartingErrorHandler implements ErrorHandler {
  readonly budget = new CrashBudget(RESTARTS, WINDOW_MS);
  private readonly onRestart: () => void;
  private readonly onGiveUp: (message: string) => void;
  private readonly isStarting: () => boolean;

  constructor(events: { onRestart: () => void; onGiveUp: (message: string) => void; isStarting: () => boolean }) {
    this.onRestart = events.onRestart;
    this.onGiveUp = events.onGiveUp;
    this.isStarting = events.isStarting;
  }

  error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    if (count !== undefined && count <= TOLERATED_ERRORS) return { action: ErrorAction.Continue, handled: true };
    this.onGiveUp('The connection to the Pipeline Studio language server keeps failing, so it was shut down.');
    return { action: ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    // A server that dies before it is up would die again: the failed start is reported, not retried.
    if (this.isStarting()) return { action: CloseAction.DoNotRestart, handled: true };
    if (this.budget.allowRestart(Date.now())) {
      this.onRestart();
      return { action: CloseAction.Restart, handled: true };
    }
    this.onGiveUp(`The Pipeline Studio language server stopped ${this.budget.recentCrashes} times in 3 minutes and will not be restarted.`);
    return { action: CloseAction.DoNotRestart, handled: true };
  }
}
