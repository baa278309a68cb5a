import type { AttemptOutcome } from '../../runner/executor.ts';

/** A job as `squeue -o '%i|%T|%r'` shows it. */
export interface QueueEntry {
  state: string;
  reason: string;
}

/** `12|PENDING|Resources` lines by job id; array jobs and unknown lines are ignored. */
export function parseSqueue(text: string): Map<string, QueueEntry> {
  const out = new Map<string, QueueEntry>();
  for (const line of text.split('\n')) {
    const [id, state, ...reason] = line.trim().split('|');
    if (id === undefined || state === undefined || !/^\d+$/.test(id)) continue;
    out.set(id, { state, reason: reason.join('|') });
  }
  return out;
}

/** What `scontrol show job` tells of a job that ended. */
export interface FinalState {
  state: string;
  reason: string;
  exitCode: number | undefined;
  signal: number | undefined;
}

/** `JobState=FAILED Reason=NonZeroExitCode … ExitCode=3:0` → its fields. */
export function parseScontrol(text: string): FinalState | undefined {
  const field = (name: string): string | undefined => new RegExp(`(?:^|\\s)${name}=(\\S*)`).exec(text)?.[1];
  const state = field('JobState');
  if (state === undefined) return undefined;
  const exit = /^(\d+):(\d+)$/.exec(field('ExitCode') ?? '');
  return { state, reason: field('Reason') ?? 'None', exitCode: exit ? Number(exit[1]) : undefined, signal: exit ? Number(exit[2]) : undefined };
}

export type Phase = 'queued' | 'running' | 'finished';

const RUNNING = new Set(['CONFIGURING', 'RUNNING', 'COMPLETING', 'STAGE_OUT', 'SIGNALING', 'SUSPENDED', 'RESIZING', 'STOPPED']);
const QUEUED = new Set(['PENDING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESV_DEL_HOLD', 'SPECIAL_EXIT']);

/**
 * PENDING (and held/requeued) → queued, with SLURM's reason; RUNNING and its neighbours → running;
 * every other state (COMPLETED, FAILED, TIMEOUT, CANCELLED, OUT_OF_MEMORY, NODE_FAIL, PREEMPTED,
 * BOOT_FAIL, DEADLINE) → finished. `COMPLETING` counts as running: its processes may still be
 * being killed and its output written.
 */
export function phaseOf(state: string): Phase {
  const base = state.split(/[ +]/)[0] ?? state;
  if (RUNNING.has(base)) return 'running';
  if (QUEUED.has(base)) return 'queued';
  return 'finished';
}

/** SLURM's `None`/`(null)` mean no reason; others (`Resources`, `Priority`, `Dependency`) are shown. */
export function queuedReason(reason: string): string {
  return reason === '' || reason === 'None' || reason === '(null)' ? 'submitted' : reason.replace(/^\((.*)\)$/, '$1');
}

/** The attempt's outcome from the job's final state; `stoppedBy` wins for jobs we cancelled. */
export function outcomeOf(final: FinalState, stoppedBy: 'cancelled' | 'timeout' | undefined): AttemptOutcome {
  const base = { exitCode: final.exitCode, signal: final.signal !== undefined && final.signal > 0 ? `signal ${final.signal}` : undefined, pid: undefined };
  if (stoppedBy !== undefined) return { ...base, ok: false, reason: stoppedBy };
  const state = final.state.split(/[ +]/)[0] ?? final.state;
  switch (state) {
    case 'COMPLETED':
      return { ...base, ok: final.exitCode === 0 || final.exitCode === undefined, reason: final.exitCode !== undefined && final.exitCode !== 0 ? `exit code ${final.exitCode}` : undefined };
    case 'FAILED':
      if (final.exitCode === 127) return { ...base, ok: false, reason: 'exit code 127: command not found' };
      return { ...base, ok: false, reason: final.exitCode !== undefined && final.exitCode !== 0 ? `exit code ${final.exitCode}` : `SLURM: FAILED (${final.reason})` };
    case 'TIMEOUT':
      return { ...base, ok: false, reason: 'SLURM time limit reached (TIMEOUT)' };
    case 'CANCELLED':
      return { ...base, ok: false, reason: `cancelled in SLURM${final.reason !== 'None' ? ` (${final.reason})` : ''}` };
    case 'OUT_OF_MEMORY':
      return { ...base, ok: false, reason: 'out of memory (SLURM OUT_OF_MEMORY)' };
    default:
      return { ...base, ok: false, reason: `SLURM: ${state}${final.reason !== 'None' ? ` (${final.reason})` : ''}` };
  }
}
