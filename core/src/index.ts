// The public surface of the engine; server, client and CLI import from here only.
export * from './model/diagnostic.ts';
export * from './model/pipeline.ts';
export * from './model/schema.ts';
export * from './yaml/ast.ts';
export { LineIndex, type Position } from './text/lineIndex.ts';
export { MAX_NESTING, MAX_VALIDATED_BYTES } from './text/prescan.ts';
export { Dag } from './graph/dag.ts';
export { CstCache } from './yaml/chunks.ts';
export { validatePipeline, type ValidateOptions, type ValidationResult } from './validate/validate.ts';
export type { FoundExpression } from './validate/expressions.ts';
export { parseDuration, formatDuration } from './util/duration.ts';
export { parseCron, nextCronTimes } from './util/cron.ts';
export { didYouMean } from './util/didYouMean.ts';
export * from './expr/index.ts';
export * from './language/index.ts';
export * from './store/index.ts';
