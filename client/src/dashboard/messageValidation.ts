import { ACTIONS, OPEN_TARGETS, SORT_FIELDS, type WebviewMessage } from '../../../webview/src/dashboard/protocol.ts';

const MAX_IDS = 1_000_000;
const MAX_QUERY = 2000;

/** Checks a message from the dashboard's webview field by field before anything acts on it; anything else is dropped. */
export function parseDashboardMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const m = raw as Record<string, unknown>;
  const count = (v: unknown, max = Number.MAX_SAFE_INTEGER): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'selectAll':
      return { type: 'selectAll' };
    case 'query': {
      const sort = m.sort as Record<string, unknown> | undefined;
      const field = SORT_FIELDS.find((f) => f === sort?.field);
      if (typeof m.query !== 'string' || m.query.length > MAX_QUERY || field === undefined) return undefined;
      return { type: 'query', query: m.query, sort: { field, direction: sort?.direction === 'asc' ? 'asc' : 'desc' } };
    }
    case 'window':
      return count(m.generation) && count(m.offset) && count(m.limit, 1000) ? { type: 'window', generation: m.generation, offset: m.offset, limit: m.limit } : undefined;
    case 'action': {
      const action = ACTIONS.find((a) => a === m.action);
      const ids = Array.isArray(m.runIds) && m.runIds.length <= MAX_IDS && m.runIds.every((id) => count(id) && id > 0) ? (m.runIds as number[]) : undefined;
      return action === undefined || ids === undefined ? undefined : { type: 'action', action, runIds: ids, all: m.all === true };
    }
    case 'open': {
      const target = OPEN_TARGETS.find((t) => t === m.target);
      return target !== undefined && count(m.runId) && m.runId > 0 ? { type: 'open', runId: m.runId, target } : undefined;
    }
    default:
      return undefined;
  }
}
