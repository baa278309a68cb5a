import type { Block } from '../model/pipeline.ts';
import type { BlockStatus } from '../store/types.ts';
import type { AttemptHandle } from './executor.ts';
import type { PausableTimeout, ClockTimer } from './clock.ts';
import type { FanOut } from './fanOut.ts';
import type { ItemValue, ResolvedBlock } from './resolve.ts';
import type { ReusedBlock } from './selection.ts';

/**
 * The life of one block in a run, as a state machine. Every move goes through `move`, which refuses
 * what the table does not list, so the table below is the whole story of a block run:
 *
 *   initial ──ready──► queued ──dispatch──► running ──succeed──► completed
 *      │                 │  └─hold─► gated ─release─┘  │ ├─fail──► failed
 *      │                 │                             │ ├─retry─► retry_wait ──retry_due──► queued
 *      ├─approval─► waiting ─approve─► queued          │ ├─outside_queue─► submitted ─start─► running
 *      │               └─reject─► failed               │ └─suspend─► suspended ─resume─► running
 *      ├─fan_out─► fanned_out ──succeed / fail / cancel──► completed / failed / cancelled
 *      └─(decided at once) cached / skipped / upstream_failed / condition_failed / failed
 *   any unfinished phase ──cancel──► cancelled
 *
 * A `foreach` block fans out (fanOut.ts): it stays `fanned_out` (shown as running) while its items,
 * each a BlockRun of its own moving along this same table from `initial`, run; the end of its last
 * item decides its own end.
 *
 * To add a transition: add the event to BlockEvent, its row entry in TRANSITIONS, and the
 * `machine.move(state, event)` call where it happens (run.ts for scheduling, attempts.ts for what
 * the executor reports); the stored status of a new phase goes in PHASE_STATUS (and a new status in
 * core/src/model/status.ts).
 */
export type Phase =
  | 'initial' | 'waiting' | 'queued' | 'gated' | 'running' | 'submitted' | 'suspended' | 'retry_wait' | 'fanned_out'
  | 'completed' | 'cached' | 'failed' | 'cancelled' | 'upstream_failed' | 'condition_failed' | 'skipped';

export type BlockEvent =
  | 'ready' | 'approval' | 'approve' | 'reject' | 'reuse' | 'skip' | 'upstream_failed' | 'condition_false'
  | 'dispatch' | 'hold' | 'release' | 'outside_queue' | 'start' | 'suspend' | 'resume'
  | 'succeed' | 'fail' | 'retry' | 'retry_due' | 'cancel' | 'fan_out';

/** What the attempt's end means, from any phase an attempt can be in. */
const ATTEMPT_ENDS = { succeed: 'completed', fail: 'failed', retry: 'retry_wait', cancel: 'cancelled' } as const;

export const TRANSITIONS: Readonly<Record<Phase, Readonly<Partial<Record<BlockEvent, Phase>>>>> = {
  initial: {
    ready: 'queued', approval: 'waiting', reuse: 'cached', skip: 'skipped',
    upstream_failed: 'upstream_failed', condition_false: 'condition_failed', fail: 'failed', cancel: 'cancelled', fan_out: 'fanned_out',
  },
  fanned_out: { succeed: 'completed', fail: 'failed', cancel: 'cancelled' },
  waiting: { approve: 'queued', reject: 'failed', cancel: 'cancelled' },
  queued: { dispatch: 'running', hold: 'gated', cancel: 'cancelled' },
  gated: { release: 'running', cancel: 'cancelled' },
  running: { outside_queue: 'submitted', suspend: 'suspended', ...ATTEMPT_ENDS },
  submitted: { start: 'running', outside_queue: 'submitted', ...ATTEMPT_ENDS },
  suspended: { resume: 'running', ...ATTEMPT_ENDS },
  retry_wait: { retry_due: 'queued', cancel: 'cancelled' },
  completed: {}, cached: {}, failed: {}, cancelled: {}, upstream_failed: {}, condition_failed: {}, skipped: {},
};

/** The status people see (and the store records) for each phase. */
export const PHASE_STATUS: Readonly<Record<Phase, BlockStatus>> = {
  initial: 'initial', waiting: 'waiting', queued: 'queued', gated: 'queued', running: 'running', submitted: 'queued',
  suspended: 'paused', retry_wait: 'running', fanned_out: 'running', completed: 'completed', cached: 'cached', failed: 'failed',
  cancelled: 'cancelled', upstream_failed: 'upstream_failed', condition_failed: 'condition_failed', skipped: 'skipped',
};

export function isFinalPhase(phase: Phase): boolean {
  return Object.keys(TRANSITIONS[phase]).length === 0;
}

/** Everything the run knows about one block, or about one item of a fan-out block. */
export interface BlockRun {
  block: Block;
  /** The block's id, or the item's (`resize[3]`): what the store and the events call it. */
  id: string;
  /** Unique within the run (blocks by file order, then items as they fan out): the ready queue's key. */
  index: number;
  phase: Phase;
  /** The status last recorded (the phase's, except that a retry's wait and re-queue still read `running`). */
  status: BlockStatus;
  attempt: number;
  /** The block_run row of the current attempt. */
  rowId: number | undefined;
  /** Upstream blocks still unfinished. */
  waitingFor: number;
  selected: boolean;
  reused: ReusedBlock | undefined;
  /** Skipped because it or an upstream block is disabled: its dependents are skipped too. */
  disabled: boolean;
  cancelRequested: boolean;
  outputs: Record<string, string>;
  fingerprint: string | undefined;
  /** A cache hit: the earlier block_run row whose results it reuses. */
  cachedFrom?: number;
  resolved: ResolvedBlock | undefined;
  handle: AttemptHandle | undefined;
  /** The running attempt's timeout; held while the attempt is frozen. */
  timeout: PausableTimeout | undefined;
  retryTimer: ClockTimer | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  exitCode: number | undefined;
  signal: string | undefined;
  reason: string | undefined;
  /** A fan-out block's items (fanOut.ts). */
  fan: FanOut | undefined;
  /** An item: its fan-out block and its value. */
  parent: BlockRun | undefined;
  item: ItemValue | undefined;
}

export function newBlockRun(block: Block, index: number, selected: boolean, reused: ReusedBlock | undefined): BlockRun {
  return {
    block, id: block.id, index, phase: 'initial', status: 'initial', attempt: 0, rowId: undefined, waitingFor: 0, selected, reused,
    disabled: false, cancelRequested: false, outputs: {}, fingerprint: undefined, resolved: undefined, handle: undefined,
    timeout: undefined, retryTimer: undefined, startedAt: undefined, finishedAt: undefined, exitCode: undefined, signal: undefined, reason: undefined,
    fan: undefined, parent: undefined, item: undefined,
  };
}

export class IllegalTransition extends Error {}

/** Moves a block along the table; returns the new phase. An unlisted move is a bug in the engine. */
export function move(state: BlockRun, event: BlockEvent): Phase {
  const next = TRANSITIONS[state.phase][event];
  if (next === undefined) throw new IllegalTransition(`block '${state.block.id}': no '${event}' from ${state.phase}`);
  state.phase = next;
  return next;
}

export function isFinished(state: BlockRun): boolean {
  return isFinalPhase(state.phase);
}

/** Phases in which an attempt is in the executor's hands. */
export function hasAttempt(state: BlockRun): boolean {
  return state.phase === 'running' || state.phase === 'submitted' || state.phase === 'suspended';
}
