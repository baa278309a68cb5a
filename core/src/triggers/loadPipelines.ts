import { existsSync, readFileSync } from 'node:fs';
import { withoutByteOrderMark } from '../text/byteOrderMark.ts';
import { dirname, resolve } from 'node:path';
import { LineIndex } from '../text/lineIndex.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { checkChainCycles } from '../validate/chainCycles.ts';
import { validatePipeline } from '../validate/validate.ts';

/**
 * What a scheduler keeps of a pipeline: its triggers and the policies around them, not the parsed
 * document (blocks, spans, the text): ~40 KB a file less, 8 MB over 200 files (bench/triggers.ts).
 * A run reads and checks its file again when it starts.
 */
export type ScheduledPipeline = Pick<Pipeline, 'name' | 'triggers' | 'overlap' | 'catchUp' | 'onFailure'>;

export interface LoadedPipeline {
  /** Absolute path. */
  file: string;
  pipeline: ScheduledPipeline;
  /** Why the file keeps no triggers (`path:line:col: message`), or undefined when it is clean. */
  refused: string | undefined;
}

/**
 * Reads and checks pipeline files for the scheduler: a file with errors (its own, or a chaining
 * cycle it is part of) keeps no triggers, and says why, so a half-edited file never fires.
 */
export function loadPipelines(files: readonly string[]): LoadedPipeline[] {
  const loaded: (LoadedPipeline & { text: string; full: Pipeline })[] = [];
  for (const path of files) {
    const file = resolve(path);
    let text: string;
    try {
      text = withoutByteOrderMark(readFileSync(file, 'utf8'));
    } catch (error) {
      const empty = validatePipeline('', { fileName: file }).pipeline;
      loaded.push({ file, text: '', full: empty, pipeline: empty, refused: `${file}: cannot be read (${error instanceof Error ? error.message : String(error)})` });
      continue;
    }
    const result = validatePipeline(text, { fileName: file, pipelineExists: pipelineNextTo(file) });
    loaded.push({ file, text, full: result.pipeline, pipeline: result.pipeline, refused: firstError(file, text, result.diagnostics) });
  }
  const cycles = checkChainCycles(loaded.filter((l) => l.refused === undefined).map((l) => ({ file: l.file, pipeline: l.full })));
  return loaded.map((entry) => {
    const cycle = cycles.get(entry.file);
    const { name, triggers, overlap, catchUp, onFailure } = entry.pipeline;
    return { file: entry.file, pipeline: { name, triggers, overlap, catchUp, onFailure }, refused: cycle !== undefined ? firstError(entry.file, entry.text, cycle) : entry.refused };
  });
}

/** `after:` targets are looked up next to the file that names them. */
export function pipelineNextTo(file: string): (relativePath: string) => boolean {
  return (relativePath) => existsSync(resolve(dirname(file), relativePath));
}

function firstError(file: string, text: string, diagnostics: readonly Diagnostic[]): string | undefined {
  const error = diagnostics.find((d) => d.severity === 'error');
  if (error === undefined) return undefined;
  const at = new LineIndex(text).positionAt(error.span.start);
  const more = diagnostics.filter((d) => d.severity === 'error').length - 1;
  return `${file}:${at.line + 1}:${at.character + 1}: ${error.code}: ${error.message}${more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''})` : ''}`;
}
