import type { LogChunkEvent, RunEvent } from '../runner/events.ts';
import type { BlockGate } from '../runner/gate.ts';
import type { RunRef, StartRunParams, StartRunResult } from '../runner/protocol.ts';

/** What the debug session needs from whoever runs the blocks (the runner service, in the editor). */
export interface DebugDriver {
  /** Starts a run with gates; events and gates of it (and only it) go to the handlers. */
  startRun(params: StartRunParams, handlers: DriverHandlers): Promise<StartRunResult>;
  cancelRun(ref: RunRef): Promise<void>;
  dispose(): Promise<void>;
}

export interface DriverHandlers {
  onEvent(event: RunEvent | LogChunkEvent): void;
  /** The block starts when the returned promise settles. */
  onGate(gate: BlockGate): Promise<void>;
  /** The process running the blocks went away; its runs are over (it cancels them as it goes). */
  onLost(reason: string): void;
}
