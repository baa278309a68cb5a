import type { GraphNode } from '../protocol.ts';
import { NODE_HEIGHT, NODE_WIDTH } from '../layout/geometry.ts';
import { svgElement as el } from './svg.ts';

const MAX_ID_CHARS = 20;

/** One block's SVG elements. */
export interface NodeParts {
  group: SVGGElement;
  box: SVGRectElement;
  bar: SVGRectElement;
  port: SVGCircleElement;
  /** Texts, created only once the node is shown large enough to read them (GraphView.showArea). */
  details: { glyph: SVGTextElement; id: SVGTextElement; meta: SVGTextElement; badge: SVGTextElement } | undefined;
  /** Approve / Reject buttons, while the block waits at its approval gate. */
  gate: SVGGElement | undefined;
}

/** What a node shows: its classes, status colour, texts and screen-reader label. */
export interface NodeLook {
  classes: string;
  colour: string | undefined;
  glyph: string;
  meta: string;
  badge: string;
  label: string;
}

export function createNodeParts(i: number, id: string, disabled: boolean): NodeParts {
  const group = el('g', undefined, { class: disabled ? 'node disabled' : 'node', 'data-i': String(i), 'data-id': id, tabindex: '-1', role: 'button' });
  const box = el('rect', group, { class: 'box', width: String(NODE_WIDTH), height: String(NODE_HEIGHT), rx: '4' });
  const bar = el('rect', group, { class: 'bar', width: '4', height: String(NODE_HEIGHT), rx: '2' });
  // Edit mode's output port (hidden otherwise): drag from it to another node to add a dependency.
  const port = el('circle', group, { class: 'port', r: '6', cx: String(NODE_WIDTH), cy: String(NODE_HEIGHT / 2), 'aria-hidden': 'true' });
  return { group, box, bar, port, details: undefined, gate: undefined };
}

/**
 * Puts a node's elements at (x, y), each by its own coordinates. Not by a transform on the node's
 * group: in Chromium every SVG transform starts a paint chunk, and a pan or zoom gesture's frame
 * re-layerises every chunk of the svg (~10 ms a frame at 3,000 transformed groups, under 1 ms
 * without; measured with CDP tracing, see bench/graphNav.ts).
 */
export function placeNodeParts(parts: NodeParts, left: number, top: number, rightward: boolean): void {
  // `document.documentElement.dataset.graphNodePlacement = 'transform'` restores the earlier
  // placement (a transform per group) for bench/graphNav.ts's side-by-side figures.
  const grouped = document.documentElement.dataset.graphNodePlacement === 'transform';
  if (grouped) parts.group.setAttribute('transform', `translate(${left},${top})`);
  else parts.group.removeAttribute('transform');
  const x = grouped ? 0 : left;
  const y = grouped ? 0 : top;
  const at = (element: SVGElement, dx: number, dy: number, ax = 'x', ay = 'y'): void => {
    element.setAttribute(ax, String(x + dx));
    element.setAttribute(ay, String(y + dy));
  };
  at(parts.box, 0, 0);
  at(parts.bar, 0, 0);
  at(parts.port, rightward ? NODE_WIDTH : NODE_WIDTH / 2, rightward ? NODE_HEIGHT / 2 : NODE_HEIGHT, 'cx', 'cy');
  const details = parts.details;
  if (details !== undefined) {
    at(details.glyph, 18, 31);
    at(details.id, 34, 22);
    at(details.meta, 34, 40);
    at(details.badge, NODE_WIDTH - 8, 40);
  }
  // Few nodes wait at a gate at once: a transform per gate costs nothing that matters.
  parts.gate?.setAttribute('transform', `translate(${x + NODE_WIDTH - 58},${y + 4})`);
}

/** Creates the node's texts (id, status glyph, meta, badge, tooltip); the caller places them. */
export function addNodeTexts(parts: NodeParts, node: GraphNode): void {
  const group = parts.group;
  const glyph = el('text', group, { class: 'glyph', x: '18', y: '31', 'aria-hidden': 'true' });
  const name = el('text', group, { class: 'id', x: '34', y: '22', 'aria-hidden': 'true' });
  name.textContent = node.id.length > MAX_ID_CHARS ? `${node.id.slice(0, MAX_ID_CHARS - 1)}…` : node.id;
  const meta = el('text', group, { class: 'meta', x: '34', y: '40', 'aria-hidden': 'true' });
  const badge = el('text', group, { class: 'badge', x: String(NODE_WIDTH - 8), y: '40', 'aria-hidden': 'true' });
  const title = el('title', group);
  title.textContent = [node.id, ...(node.description === undefined ? [] : [node.description]), ...(node.pipeline === undefined ? [] : [`runs ${node.pipeline} (double-click opens its graph)`])].join('\n');
  parts.details = { glyph, id: name, meta, badge };
}

/**
 * Shows or removes the node's Approve / Reject buttons (SVG groups with a role, focusable,
 * labelled). Whether buttons were created: the caller then places them.
 */
export function paintGate(parts: NodeParts, id: string, waiting: boolean): boolean {
  if (!waiting) {
    parts.gate?.remove();
    parts.gate = undefined;
    return false;
  }
  if (parts.gate !== undefined) return false;
  const gate = el('g', parts.group, { class: 'gate' });
  const buttons: ['approve' | 'reject', string, string, number][] = [['approve', '✓', 'Approve', 0], ['reject', '✗', 'Reject', 28]];
  for (const [decision, glyph, word, x] of buttons) {
    const button = el('g', gate, { class: `gate-button gate-${decision}`, 'data-decision': decision, role: 'button', tabindex: '0', 'aria-label': `${word} ${id}`, transform: `translate(${x},0)` });
    el('rect', button, { width: '24', height: '20', rx: '3' });
    const text = el('text', button, { x: '12', y: '14' });
    text.textContent = glyph;
    const title = el('title', button);
    title.textContent = `${word} '${id}'`;
  }
  parts.gate = gate;
  return true;
}

/** Applies a look to a node's elements: only attributes and textContent (pipeline text is data). */
export function paintNodeParts(parts: NodeParts, look: NodeLook): void {
  parts.group.setAttribute('class', look.classes);
  if (look.colour !== undefined) parts.group.style.setProperty('--status', look.colour);
  else parts.group.style.removeProperty('--status');
  const details = parts.details;
  if (details !== undefined) {
    details.glyph.textContent = look.glyph;
    details.meta.textContent = look.meta;
    details.badge.textContent = look.badge;
  }
  parts.group.setAttribute('aria-label', look.label);
}
