// Debugging pipelines without VS Code: the session logic the debug adapter (client/src/debug) drives.
export { DebugRun, RUN_THREAD, type DebugLaunch, type DebugRunEvent, type FrameView, type StopReason, type ThreadView } from './debugRun.ts';
export { blockLines, mapBreakpoints, type BlockLines, type BreakpointRequest, type MappedBreakpoint } from './breakpoints.ts';
export { conditionHolds, evaluateAtGate, expressionProblem, gateLookup, unwrapExpression, type Evaluation } from './expressions.ts';
export { blockScopes, type DebugScope, type DebugVariable, type RunView } from './scopes.ts';
export type { DebugDriver, DriverHandlers } from './driver.ts';
export { ServiceDriver } from './serviceDriver.ts';
