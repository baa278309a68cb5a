import { RUN_FOLDER_PREFIX } from '../store/runFolders.ts';
import { SUPERVISOR_TAG_VAR } from './processGroup.ts';

/** How long to wait for the pipes to close after the shell exits when a leftover process holds them. */
export const DRAIN_MS = 200;

/** Between SIGTERM and SIGKILL when the supervisor stops what its dead engine left running. */
export const SUPERVISOR_GRACE_MS = 500;
/** How often the supervisor looks whether everything it signalled has gone. */
const SUPERVISOR_POLL_MS = 50;

/**
 * The launch helper, plain CommonJS run with `node -e <source> <tag>` so that it loads nothing.
 *
 * Launching: requests come as JSON lines `[id, file, args, cwd, env]`; it answers
 * `[id, 'spawn', pid]`, `[id, 'error', code, message]`, `[id, 'out', 0|1, text]`,
 * `[id, 'exit', code, signal]` and `[id, 'close']`. When the engine reads slower than blocks
 * print, the blocks' pipes are paused rather than buffered here. Ctrl+C and SIGTERM reach the
 * whole foreground group; the engine decides what to stop, so they are ignored.
 *
 * Supervising: Node has no parent-death signal, but the helper's stdin is a pipe from the engine,
 * and the kernel closes it when the engine dies however it dies (SIGKILL, a crash). Then the
 * helper stops everything the engine's runs started: the process group of each block still
 * running (grandchildren included), and every process whose environment carries
 * `PIPELINE_SUPERVISOR_TAG=<tag>` (set on every block it starts, so inherited by what escaped the
 * group with setsid or a double fork; Linux, through /proc): SIGTERM, SIGKILL after
 * SUPERVISOR_GRACE_MS for what is left. It then removes the runs' temporary folders and exits.
 * When the engine exits normally nothing is left to stop, and the helper exits at once.
 * `['watch', pid, outputFile]` / `['unwatch', pid]` make it supervise a block the engine spawned
 * itself (the direct fallback), where it is only a supervisor.
 */
export const HELPER_SOURCE = `'use strict';
const { spawn } = require('node:child_process');
const { readdirSync, readFileSync, rmSync, existsSync } = require('node:fs');
const { dirname, basename } = require('node:path');
const { tmpdir } = require('node:os');
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
const TAG = process.argv[1] || '';
const NEEDLE = '\\0${SUPERVISOR_TAG_VAR}=' + TAG + '\\0';
const out = process.stdout;
const PIECE = 16384;
const streams = new Set();
// Blocks not yet exited, by pid; each leads its own process group.
const live = new Set();
// Temporary folders of the runs whose blocks it started.
const folders = new Set();
let blocked = false;
let ending = false;
const send = (message) => {
  if (ending) return;
  if (out.write(JSON.stringify(message) + '\\n') || blocked) return;
  blocked = true;
  for (const s of streams) s.pause();
  out.once('drain', () => { blocked = false; for (const s of streams) s.resume(); });
};
const remember = (outputFile) => {
  if (typeof outputFile !== 'string') return;
  const folder = dirname(outputFile);
  if (!basename(folder).startsWith('${RUN_FOLDER_PREFIX}') || dirname(folder) !== tmpdir() || folders.has(folder)) return;
  // Finished runs remove their folders: forget those, so a long-lived engine's list stays short.
  if (folders.size >= 32) for (const f of folders) if (!existsSync(f)) folders.delete(f);
  folders.add(folder);
};
const start = (id, file, args, cwd, env) => {
  if (TAG !== '') env['${SUPERVISOR_TAG_VAR}'] = TAG;
  remember(env.PIPELINE_OUTPUT);
  let child;
  try {
    child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    send([id, 'error', e.code || '', String(e.message)]);
    return;
  }
  if (child.pid === undefined) {
    child.once('error', (e) => send([id, 'error', e.code || '', String(e.message)]));
    return;
  }
  const pid = child.pid;
  live.add(pid);
  send([id, 'spawn', pid]);
  child.on('error', () => {});
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    streams.delete(child.stdout);
    streams.delete(child.stderr);
    send([id, 'close']);
  };
  [child.stdout, child.stderr].forEach((s, n) => {
    s.setEncoding('utf8');
    streams.add(s);
    if (blocked) s.pause();
    s.on('data', (text) => {
      for (let at = 0; at < text.length;) {
        let end = Math.min(at + PIECE, text.length);
        const last = text.charCodeAt(end - 1);
        if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
        send([id, 'out', n, text.slice(at, end)]);
        at = end;
      }
    });
  });
  child.once('exit', (code, signal) => {
    live.delete(pid);
    send([id, 'exit', code, signal]);
    setTimeout(() => { child.stdout.destroy(); child.stderr.destroy(); close(); }, ${DRAIN_MS});
  });
  child.once('close', close);
};
// Signals (0: just counts) every live process carrying the tag; zombies have an empty environ.
const sweep = (signal) => {
  if (TAG === '') return 0;
  let entries;
  try { entries = readdirSync('/proc'); } catch { return 0; }
  let found = 0;
  for (const entry of entries) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ;
    try { environ = readFileSync('/proc/' + entry + '/environ', 'latin1'); } catch { continue; }
    if (!('\\0' + environ).includes(NEEDLE)) continue;
    try { process.kill(pid, signal); found++; } catch {}
  }
  return found;
};
// A dead leader that nobody reaps (a watched block, orphaned to an init that does not reap)
// still answers kill(); what is left of its group carries the tag.
const zombie = (pid) => {
  try { const stat = readFileSync('/proc/' + pid + '/stat', 'latin1'); return stat[stat.lastIndexOf(')') + 2] === 'Z'; } catch { return false; }
};
const signalAll = (signal) => {
  let found = 0;
  for (const pid of live) {
    if (zombie(pid)) { live.delete(pid); continue; }
    try { process.kill(-pid, signal); found++; } catch { live.delete(pid); }
  }
  return found + sweep(signal);
};
// The engine is gone: stop what it left, remove its runs' folders, exit.
const supervise = () => {
  if (ending) return;
  ending = true;
  const deadline = Date.now() + ${SUPERVISOR_GRACE_MS};
  let left = signalAll('SIGTERM');
  let kills = 0;
  const step = () => {
    if (left > 0 && Date.now() >= deadline) {
      left = signalAll('SIGKILL');
      // A process stuck in the kernel cannot die yet; do not wait for it forever.
      if (left > 0 && ++kills < 20) return setTimeout(step, ${SUPERVISOR_POLL_MS});
    } else if (left > 0) {
      setTimeout(() => { left = signalAll(0); step(); }, ${SUPERVISOR_POLL_MS});
      return;
    }
    for (const folder of folders) { try { rmSync(folder, { recursive: true, force: true }); } catch {} }
    process.exit(0);
  };
  step();
};
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  pending += text;
  for (let nl = pending.indexOf('\\n'); nl >= 0; nl = pending.indexOf('\\n')) {
    const request = JSON.parse(pending.slice(0, nl));
    pending = pending.slice(nl + 1);
    if (request[0] === 'watch') { live.add(request[1]); remember(request[2]); }
    else if (request[0] === 'unwatch') live.delete(request[1]);
    else start(...request);
  }
});
process.stdin.on('end', supervise);
process.stdin.on('error', supervise);
`;
