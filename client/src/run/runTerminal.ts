import * as vscode from 'vscode';
import type { RunEvent } from '../../../core/src/runner/events.ts';
import { TerminalRenderer } from './terminalRenderer.ts';

/** Keeps a terminal's scrollback useful; older output stays in the store (the block logs). */
const MAX_BUFFER_BEFORE_OPEN = 4 * 1024 * 1024;

/**
 * A run's terminal ("▶ etl #42"): renders the run's events as they come, Ctrl+C cancels the run,
 * and after the run it stays open, readable, with the summary. Closing it while the run is live
 * cancels the run, as closing a terminal ends its process; a window that reloads or closes closes
 * it too, and then the run goes on in its service (the next window reattaches).
 */
export class RunTerminal implements vscode.Disposable {
  readonly terminal: vscode.Terminal;
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly renderer = new TerminalRenderer();
  private opened = false;
  private early: string[] = [];
  private earlyBytes = 0;
  private live = true;
  private closedByUser = false;
  private readonly onCancel: () => void;
  private readonly closeListener: vscode.Disposable;

  constructor(name: string, onCancel: () => void) {
    this.onCancel = onCancel;
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.writeEmitter.event,
      open: () => {
        this.opened = true;
        for (const text of this.early) this.writeEmitter.fire(text);
        this.early = [];
      },
      close: () => {
        this.closedByUser = true;
      },
      handleInput: (data) => {
        if (data.includes('\x03') && this.live) {
          this.write('\x1b[2m^C cancelling the run (blocks get SIGTERM, then SIGKILL)\x1b[0m\r\n');
          this.onCancel();
        }
      },
    };
    this.terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('play'), isTransient: true });
    // pty.close() comes on a window reload too; only the close event says who closed it.
    this.closeListener = vscode.window.onDidCloseTerminal((closed) => {
      if (closed !== this.terminal) return;
      this.closeListener.dispose();
      this.closedByUser = true;
      if (this.live && closed.exitStatus?.reason === vscode.TerminalExitReason.User) this.onCancel();
    });
  }

  get isLive(): boolean {
    return this.live;
  }

  get isClosed(): boolean {
    return this.closedByUser;
  }

  render(event: RunEvent): void {
    this.write(this.renderer.render(event));
    if (event.type === 'run-finished') this.live = false;
  }

  /** A note from the editor (not from the run), e.g. that the service went away. */
  note(text: string, finished = false): void {
    this.write(`\r\n\x1b[33m${text.replace(/\n/g, '\r\n')}\x1b[0m\r\n`);
    if (finished) this.live = false;
  }

  reveal(): void {
    this.terminal.show(true);
  }

  dispose(): void {
    this.live = false;
    this.closeListener.dispose();
    this.terminal.dispose();
    this.writeEmitter.dispose();
  }

  private write(text: string): void {
    if (text === '') return;
    if (this.opened) {
      this.writeEmitter.fire(text);
      return;
    }
    if (this.earlyBytes > MAX_BUFFER_BEFORE_OPEN) return;
    this.early.push(text);
    this.earlyBytes += text.length;
  }
}
