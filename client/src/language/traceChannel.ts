import * as vscode from 'vscode';
import { TRACE_SERVER, affects, traceSetting } from '../settings/settings.ts';

const CHANNEL_NAME = 'Pipeline Studio Language Server Trace';

/**
 * The channel the language client traces the protocol to. vscode-languageclient 11 traces only
 * while its trace channel's log level is Trace (then `trace.server` picks messages or verbose), and
 * a real log channel's level belongs to the user's log-level setting. This channel reports Trace
 * exactly when `pipelineStudio.trace.server` is not `off`, so that setting alone turns the
 * trace on and off, as its description says.
 */
export function createTraceChannel(): vscode.LogOutputChannel & vscode.Disposable {
  const output = vscode.window.createOutputChannel(CHANNEL_NAME);
  const levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  const level = (): vscode.LogLevel => (traceSetting() === 'off' ? vscode.LogLevel.Off : vscode.LogLevel.Trace);
  const watcher = vscode.workspace.onDidChangeConfiguration((event) => {
    if (affects(event, TRACE_SERVER)) levelChanged.fire(level());
  });
  const write = (kind: string) => (message: string | Error, ...args: unknown[]): void => {
    const text = message instanceof Error ? (message.stack ?? message.message) : message;
    output.appendLine(`${new Date().toISOString()} [${kind}] ${[text, ...args.map(String)].join(' ')}`);
  };
  return {
    name: CHANNEL_NAME,
    get logLevel() {
      return level();
    },
    onDidChangeLogLevel: levelChanged.event,
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warning'),
    error: write('error'),
    append: (value) => output.append(value),
    appendLine: (value) => output.appendLine(value),
    replace: (value) => output.replace(value),
    clear: () => output.clear(),
    show: (columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean) => {
      output.show(typeof columnOrPreserveFocus === 'boolean' ? columnOrPreserveFocus : preserveFocus);
    },
    hide: () => output.hide(),
    dispose: () => {
      watcher.dispose();
      levelChanged.dispose();
      output.dispose();
    },
  };
}
