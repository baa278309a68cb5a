import { BLOCK_ID_PATTERN } from '../../../core/src/model/schema.ts';
import { BLOCK_FIELDS, PALETTE_ITEMS, type BlockField, type GraphGesture } from '../../../server/src/graphEdit/gesture.ts';
import { BLOCK_COMMANDS, TOOLBAR_COMMANDS, type BlockCommand, type GraphLayout, type ToolbarCommand, type WebviewMessage } from '../../../webview/src/protocol.ts';

/** A layout bigger than this is not cached (a few MB of JSON in the workspace state). */
const MAX_CACHED_NODES = 20_000;

/**
 * Checks a message from the webview before anything acts on it: the webview shows file content
 * and could in principle be subverted, so every field is checked for type and range, block ids
 * against the format's pattern and the blocks the panel shows. Anything else is dropped.
 */
export function parseWebviewMessage(raw: unknown, knownBlocks: ReadonlySet<string>): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const m = raw as Record<string, unknown>;
  const block = (): string | undefined => (typeof m.block === 'string' && BLOCK_ID_PATTERN.test(m.block) && knownBlocks.has(m.block) ? m.block : undefined);
  switch (m.type) {
    case 'ready':
      return { type: 'ready', direction: m.direction === 'DOWN' ? 'DOWN' : 'RIGHT' };
    case 'requestItems': {
      const id = block();
      const offset = typeof m.offset === 'number' && Number.isInteger(m.offset) && m.offset >= 0 ? m.offset : undefined;
      const limit = typeof m.limit === 'number' && Number.isInteger(m.limit) && m.limit > 0 && m.limit <= 1000 ? m.limit : undefined;
      return id === undefined || offset === undefined || limit === undefined ? undefined : { type: 'requestItems', block: id, offset, limit };
    }
    case 'revealBlock': {
      const id = block();
      return id === undefined ? undefined : { type: 'revealBlock', block: id };
    }
    case 'blockCommand': {
      const id = block();
      const command = BLOCK_COMMANDS.find((c) => c === m.command);
      return id === undefined || command === undefined ? undefined : { type: 'blockCommand', command: command satisfies BlockCommand, block: id };
    }
    case 'toolbar': {
      const command = TOOLBAR_COMMANDS.find((c) => c === m.command);
      return command === undefined ? undefined : { type: 'toolbar', command: command satisfies ToolbarCommand };
    }
    case 'selectRun':
      return Number.isSafeInteger(m.runId) && (m.runId as number) > 0 ? { type: 'selectRun', runId: m.runId as number } : undefined;
    case 'direction':
      return m.direction === 'RIGHT' || m.direction === 'DOWN' ? { type: 'direction', direction: m.direction } : undefined;
    case 'layoutDone': {
      const layout = parseLayout(m.layout);
      return layout === undefined ? undefined : { type: 'layoutDone', layout };
    }
    case 'rendered':
      return (m.phase === 'preliminary' || m.phase === 'final' || m.phase === 'cached') && isFiniteNumber(m.ms) && Number.isSafeInteger(m.nodes)
        ? { type: 'rendered', phase: m.phase, ms: m.ms, nodes: m.nodes as number }
        : undefined;
    case 'error':
      return typeof m.message === 'string' ? { type: 'error', message: m.message.slice(0, 500) } : undefined;
    case 'edit': {
      const gesture = parseGesture(m.gesture, knownBlocks);
      return gesture === undefined ? undefined : { type: 'edit', gesture };
    }
    case 'checkField': {
      const id = block();
      const field = fieldOf(m.field);
      return id === undefined || field === undefined || !isText(m.value) ? undefined : { type: 'checkField', block: id, field, value: m.value };
    }
    case 'requestFields': {
      const id = block();
      return id === undefined ? undefined : { type: 'requestFields', block: id };
    }
    case 'rename': {
      const id = block();
      if (id === undefined) return undefined;
      if (m.newName === undefined) return { type: 'rename', block: id };
      return typeof m.newName === 'string' && m.newName.length <= 200 ? { type: 'rename', block: id, newName: m.newName } : undefined;
    }
    case 'compare':
      if (m.stop === true) return { type: 'compare', stop: true };
      return m.base === 'run' ? { type: 'compare', base: 'run' } : { type: 'compare' };
    case 'openDiff': {
      const id = block();
      return id === undefined ? undefined : { type: 'openDiff', block: id };
    }
    case 'addSubPipeline':
      return typeof m.path === 'string' && m.path.length <= 1000 ? { type: 'addSubPipeline', path: m.path } : undefined;
    case 'addSnippet':
      return typeof m.name === 'string' && m.name.length <= 200 ? { type: 'addSnippet', name: m.name } : undefined;
    default:
      return undefined;
  }
}

/** Long enough for any command a block holds; a larger value is not something typed in a panel. */
const MAX_FIELD_CHARS = 100_000;

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_FIELD_CHARS;
}

function fieldOf(value: unknown): BlockField | undefined {
  return BLOCK_FIELDS.find((f) => f === value);
}

/** A designer gesture, each id one of the shown blocks. Snippets come from the host, never from the webview. */
export function parseGesture(raw: unknown, knownBlocks: ReadonlySet<string>): GraphGesture | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const g = raw as Record<string, unknown>;
  const id = (value: unknown): string | undefined => (typeof value === 'string' && BLOCK_ID_PATTERN.test(value) && knownBlocks.has(value) ? value : undefined);
  switch (g.kind) {
    case 'addDependency':
    case 'removeDependency': {
      const from = id(g.from);
      const to = id(g.to);
      return from === undefined || to === undefined ? undefined : { kind: g.kind, from, to };
    }
    case 'addBlock': {
      const item = PALETTE_ITEMS.find((i) => i === g.item);
      return item === undefined ? undefined : { kind: 'addBlock', item };
    }
    case 'duplicateBlock':
    case 'deleteBlock': {
      const block = id(g.block);
      return block === undefined ? undefined : { kind: g.kind, block };
    }
    case 'setDisabled': {
      const block = id(g.block);
      return block === undefined || typeof g.disabled !== 'boolean' ? undefined : { kind: 'setDisabled', block, disabled: g.disabled };
    }
    case 'setField': {
      const block = id(g.block);
      const field = fieldOf(g.field);
      return block === undefined || field === undefined || !isText(g.value) ? undefined : { kind: 'setField', block, field, value: g.value };
    }
    default:
      return undefined;
  }
}

/** A layout as the webview computed it, or undefined when any part is not plain finite numbers. */
export function parseLayout(raw: unknown): GraphLayout | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const l = raw as Record<string, unknown>;
  if (typeof l.hash !== 'string' || l.hash.length > 100 || (l.direction !== 'RIGHT' && l.direction !== 'DOWN')) return undefined;
  if (!isFiniteNumber(l.width) || !isFiniteNumber(l.height) || !Array.isArray(l.boxes) || !Array.isArray(l.routes)) return undefined;
  if (l.boxes.length % 4 !== 0 || l.boxes.length > MAX_CACHED_NODES * 4 || !l.boxes.every(isFiniteNumber)) return undefined;
  if (!l.routes.every((r) => Array.isArray(r) && r.length <= 400 && r.every(isFiniteNumber))) return undefined;
  return { hash: l.hash, direction: l.direction, width: l.width, height: l.height, boxes: l.boxes, routes: l.routes as number[][] };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
