import { LOG_SCHEME } from './commandIds.ts';

export interface LogTarget {
  storePath: string;
  blockRunId: number;
}

/**
 * The parts of a `pipeline-log:` URI: the path makes a readable tab title (`extract #42.log`), the
 * query says where to read. Kept as strings so that this module needs no VS Code.
 */
export function logUriParts(target: LogTarget, names: { pipeline: string; block: string; runId: number; attempt: number }): { scheme: string; path: string; query: string } {
  const safe = (text: string): string => text.replace(/[/\\?#%]/g, '_');
  const attempt = names.attempt > 1 ? ` attempt ${names.attempt}` : '';
  return {
    scheme: LOG_SCHEME,
    path: `/${safe(names.pipeline)}/${safe(names.block)} #${names.runId}${attempt}.log`,
    query: new URLSearchParams({ store: target.storePath, blockRun: String(target.blockRunId) }).toString(),
  };
}

/** The target of a log URI's query, or an error message for a URI typed or edited by hand. */
export function parseLogQuery(query: string): LogTarget | { error: string } {
  const params = new URLSearchParams(query);
  const storePath = params.get('store');
  const blockRun = params.get('blockRun');
  if (storePath === null || storePath === '') return { error: 'This log link names no run store.' };
  if (blockRun === null || !/^[1-9]\d{0,15}$/.test(blockRun)) return { error: `This log link names no block run ('${blockRun ?? ''}').` };
  return { storePath, blockRunId: Number(blockRun) };
}
