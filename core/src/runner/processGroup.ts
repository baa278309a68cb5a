import { readdirSync, readFileSync } from 'node:fs';

/**
 * Killing what a block started. Each attempt leads its own process group (spawned detached), so one
 * signal to the group reaches its grandchildren too. A process that left the group (`setsid`,
 * a daemonizing double fork) is found by the tag every process of a run inherits in its
 * environment, `PIPELINE_PROCESS_TAG=<run token>.<attempt>`: unlike PIPELINE_RUN_ID (a number per
 * store, which two stores can share), the token is random, so a sweep never hits another run.
 */
export const PROCESS_TAG_VAR = 'PIPELINE_PROCESS_TAG';

/**
 * Set by the launcher on every block process (so inherited by all it starts), one random value
 * per engine process: what the launch helpers sweep when the engine dies without warning (see
 * launchHelperScript.ts). A nested engine sets its own for its blocks.
 */
export const SUPERVISOR_TAG_VAR = 'PIPELINE_SUPERVISOR_TAG';

/** Sends a signal to a whole process group; false when the group no longer has any process. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

/**
 * Signals every process (outside any group already handled) whose environment carries the tag:
 * exactly `tag`, or any tag starting with `tag.` when `prefix` is set (a whole run). Linux only,
 * through /proc; elsewhere it finds nothing. Returns the pids signalled.
 */
export function sweepTagged(tag: string, signal: NodeJS.Signals, prefix = false): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const needle = `\0${PROCESS_TAG_VAR}=${tag}${prefix ? '.' : '\0'}`;
  const hit: number[] = [];
  for (const entry of entries) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ: string;
    try {
      // latin1: one byte per character, no decoding cost, and the tag is ASCII.
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue;
    }
    if (!`\0${environ}`.includes(needle)) continue;
    try {
      process.kill(pid, signal);
      hit.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return hit;
}
