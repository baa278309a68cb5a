// The custom DAP event between the pipeline debug session and the graph. No vscode import: the debug
// session also runs standalone (dist/debugAdapter.cjs) for the DAP tests.

export const PAUSED_EVENT = 'pipelineStudio.paused';

export interface PausedEventBody {
  /** The pipeline file, absolute. */
  file: string;
  /** Every block the session holds before it starts, in the order they were paused; empty: none. */
  blocks: string[];
}

/** The body comes from a debug adapter: checked like any input; anything malformed is ignored. */
export function parsePausedBody(body: unknown): PausedEventBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { file, blocks } = body as { file?: unknown; blocks?: unknown };
  if (typeof file !== 'string' || file === '' || !Array.isArray(blocks)) return undefined;
  if (!blocks.every((b): b is string => typeof b === 'string')) return undefined;
  return { file, blocks };
}
