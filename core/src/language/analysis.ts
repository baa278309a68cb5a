import { LineIndex } from '../text/lineIndex.ts';
import type { CstCache } from '../yaml/chunks.ts';
import { validatePipeline, type ValidationResult } from '../validate/validate.ts';
import type { PipelineExists } from '../validate/triggerChecks.ts';

/** One validated version of a document: what every editor feature reads. */
export interface DocumentAnalysis {
  /** The text that was validated; every span of `result` is an offset into it. */
  readonly text: string;
  readonly result: ValidationResult;
  readonly lines: LineIndex;
}

export interface AnalyzeOptions {
  fileName?: string;
  /** Parsed pieces of earlier versions of the same document: an edit re-parses only what changed. */
  cache?: CstCache;
  /** Looks up the pipeline files that triggers' `after:` name (see ValidateOptions). */
  pipelineExists?: PipelineExists;
  /** The file's absolute path on disk, for the sub-pipeline checks (see ValidateOptions). */
  filePath?: string;
}

/** Validates `text` (never throws; see validatePipeline) and indexes its lines. */
export function analyzeDocument(text: string, options: AnalyzeOptions = {}): DocumentAnalysis {
  const result = validatePipeline(text, { fileName: options.fileName, cache: options.cache, pipelineExists: options.pipelineExists, filePath: options.filePath });
  return { text, result, lines: new LineIndex(text) };
}
