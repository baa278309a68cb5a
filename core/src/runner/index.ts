// The runner's public surface: the CLI, the service process and the extension import from here.
export { startRun, DEFAULT_GRACE_MS, formatMs, type RunHandle, type RunResult, type StartRunOptions } from './engine.ts';
export { planRun, type PlanAction, type PlanEntry, type PlanOptions, type RunPlan } from './plan.ts';
export { prepareRun, RunRefused, type PrepareOptions } from './prepare.ts';
export type { BlockAttemptEvent, BlockStatusEvent, BlockSummary, LogChunkEvent, RunEvent, RunEventListener, RunFinishedEvent, RunStartedEvent } from './events.ts';
export type { Selection } from './selection.ts';
export type { BlockGate, BlockGateHandler } from './gate.ts';
export { parseVarAssignments, resolveVariables, type VariableValue } from './variables.ts';
export { quoteForShell, quoteJsonString, quotePosix, quotePwsh } from './quote.ts';
export { holeContexts, scriptProblems, substituteScript, EXPR_ENV_PREFIX, type SubstitutedScript, type TemplatePiece } from './substitute.ts';
export { LogSanitizer, sanitizeLog } from './sanitize.ts';
export { parseOutputs, missingOutputs } from './outputs.ts';
export * from './protocol.ts';
export { RunnerClient } from './client.ts';
export { serveRunner, RUN_REFUSED } from './service.ts';
