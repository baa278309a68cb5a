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

/** Names of the open terminals. */
function terminalNames() {
  return vscode.window.terminals.map((t) => t.name);
}

module.exports = { FINISHED, command, processAlive, terminalNames };
