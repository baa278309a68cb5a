// What the executions dashboard listens to for live updates: the one client run-state model.
export type { RunStateChange } from '../runState/runStateHub.ts';
export type { RunStateSource } from '../runState/runStateModel.ts';
