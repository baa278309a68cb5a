// Shared by the run suites: calling the run commands as menus and other extensions do, and checking
// on block processes through /proc.
'use strict';
const fs = require('node:fs');
const vscode = require('vscode');

/** Never prompt, and resolve only once the run has finished. */
const FINISHED = Object.freeze({ noPrompt: true, wait: true });

/** Executes pipelineStudio.<name> with the given arguments. */
function command(name, ...args) {
  return vscode.commands.executeCommand(`pipelineStudio.${name}`, ...args);
}

/**
 * Whether a process still exists and is not a zombie (a killed process whose parent has not reaped
 * it yet is gone for every practical purpose; in a container PID 1 may never reap it).
 */
function processAlive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may itself contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Resolves once the workbench has handled every terminal request made before: a terminal of our own
 * is created and disposed, and its close event comes back after those of terminals disposed earlier.
 */
async function terminalsSettled() {
  const writes = new vscode.EventEmitter();
  const terminal = vscode.window.createTerminal({ name: 'e2e barrier', pty: { onDidWrite: writes.event, open: () => {}, close: () => {} } });
  const closed = new Promise((resolve) => {
    const sub = vscode.window.onDidCloseTerminal((t) => {
      if (t !== terminal) return;
      sub.dispose();
      resolve();
    });
  });
  terminal.dispose();
  await closed;
  writes.dispose();
}

/** Names of the open terminals. */
function terminalNames() {
  return vscode.window.terminals.map((t) => t.name);
}

/**
 * Resolves once the async check() returns true, asking again every 100 ms; any other value it
 * returns is what the rejection after timeoutMs reports as last seen.
 */
async function untilResolved(what, check, timeoutMs = 10000) {
  const started = Date.now();
  for (;;) {
    const result = await check();
    if (result === true) return;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${result}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

module.exports = { FINISHED, command, processAlive, terminalNames, terminalsSettled, untilResolved };
