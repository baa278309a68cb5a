import type { BlockState, GraphLayout, GraphModel, PlanMark } from '../protocol.ts';
import { formatDuration, PLAN_WORDS, statusGlyph, statusWord } from './statusStyle.ts';

const SVG = 'http://www.w3.org/2000/svg';
const MAX_ID_CHARS = 20;

export interface GraphViewHandlers {
  select(id: string): void;
  /** Click or Enter: reveal the block in the editor. */
  activate(id: string): void;
  /** Double-click: open its latest log. */
  open(id: string): void;
  contextMenu(id: string, clientX: number, clientY: number): void;
}

interface NodeParts {
  group: SVGGElement;
  glyph: SVGTextElement;
  meta: SVGTextElement;
  badge: SVGTextElement;
}

/**
 * The graph as SVG: one group per block, one path per edge. Everything the pipeline file wrote
 * (ids, descriptions) goes in through textContent, never markup. Status and plan changes touch only
 * the changed node's elements, so an update costs the same at 50 blocks as at 3,000.
 */
export class GraphView {
  readonly svg: SVGSVGElement;
  readonly world: SVGGElement;
  private readonly edgeLayer: SVGGElement;
  private readonly nodeLayer: SVGGElement;
  private model: GraphModel = { pipelineName: '', nodes: [], edges: [] };
  private layoutShown: GraphLayout | undefined;
  private nodes: NodeParts[] = [];
  private edges: SVGPathElement[] = [];
  private readonly index = new Map<string, number>();
  private readonly states = new Map<string, BlockState>();
  private plan = new Map<string, PlanMark>();
  private incident: number[][] = [];
  private selectedIndex = -1;

  constructor(host: HTMLElement, handlers: GraphViewHandlers) {
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('class', 'graph');
    this.svg.setAttribute('role', 'group');
    this.svg.setAttribute('aria-label', 'Pipeline graph');
    const defs = el('defs', this.svg);
    const marker = el('marker', defs, { id: 'arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' });
    el('path', marker, { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' });
    this.world = el('g', this.svg, { class: 'world' });
    this.edgeLayer = el('g', this.world, { class: 'edges' });
    this.nodeLayer = el('g', this.world, { class: 'nodes' });
    host.append(this.svg);

    const target = (event: Event): string | undefined => {
      const group = (event.target as Element | null)?.closest('g.node');
      const i = Number(group?.getAttribute('data-i') ?? NaN);
      return Number.isInteger(i) ? this.model.nodes[i]?.id : undefined;
    };
    this.nodeLayer.addEventListener('click', (event) => {
      const id = target(event);
      if (id === undefined) return;
      handlers.select(id);
      handlers.activate(id);
    });
    this.nodeLayer.addEventListener('dblclick', (event) => {
      const id = target(event);
      if (id !== undefined) handlers.open(id);
    });
    this.nodeLayer.addEventListener('contextmenu', (event) => {
      const id = target(event);
      if (id === undefined) return;
      event.preventDefault();
      handlers.select(id);
      handlers.contextMenu(id, event.clientX, event.clientY);
    });
  }

  get layout(): GraphLayout | undefined {
    return this.layoutShown;
  }

  get graph(): GraphModel {
    return this.model;
  }

  indexOf(id: string): number | undefined {
    return this.index.get(id);
  }

  /** Builds the elements for a new structure; states, plan and selection of kept ids survive. */
  render(model: GraphModel, layout: GraphLayout): void {
    const selected = this.selectedId;
    this.model = model;
    this.index.clear();
    model.nodes.forEach((node, i) => this.index.set(node.id, i));
    for (const id of [...this.states.keys()]) if (!this.index.has(id)) this.states.delete(id);
    this.incident = model.nodes.map(() => []);
    model.edges.forEach(([a, b], e) => {
      this.incident[a]?.push(e);
      this.incident[b]?.push(e);
    });
    const nodeFragment = document.createDocumentFragment();
    this.nodes = model.nodes.map((node, i) => this.createNode(nodeFragment, i, node.id, node.description, node.disabled === true));
    const edgeFragment = document.createDocumentFragment();
    this.edges = model.edges.map(() => el('path', edgeFragment, { class: 'edge', 'marker-end': 'url(#arrow)' }));
    this.nodeLayer.replaceChildren(nodeFragment);
    this.edgeLayer.replaceChildren(edgeFragment);
    this.selectedIndex = -1;
    this.applyLayout(layout);
    for (let i = 0; i < this.nodes.length; i++) this.paintNode(i);
    if (selected !== undefined) this.select(selected);
  }

  /** Moves the existing elements to new positions (same structure). */
  applyLayout(layout: GraphLayout): void {
    this.layoutShown = layout;
    this.svg.setAttribute('data-hash', layout.hash);
    for (let i = 0; i < this.nodes.length; i++) {
      const group = this.nodes[i]?.group;
      group?.setAttribute('transform', `translate(${layout.boxes[i * 4] ?? 0},${layout.boxes[i * 4 + 1] ?? 0})`);
    }
    for (let e = 0; e < this.edges.length; e++) this.edges[e]?.setAttribute('d', pathOf(layout.routes[e] ?? []));
  }

  setStates(states: Record<string, BlockState>): void {
    this.states.clear();
    for (const [id, state] of Object.entries(states)) if (this.index.has(id)) this.states.set(id, state);
    for (let i = 0; i < this.nodes.length; i++) this.paintNode(i);
  }

  setState(id: string, state: BlockState): void {
    const i = this.index.get(id);
    if (i === undefined) return;
    this.states.set(id, state);
    this.paintNode(i);
  }

  stateOf(id: string): BlockState | undefined {
    return this.states.get(id);
  }

  setPlan(marks: PlanMark[] | undefined): void {
    const changed = new Set([...this.plan.keys(), ...(marks ?? []).map((m) => m.block)]);
    this.plan = new Map((marks ?? []).map((m) => [m.block, m]));
    for (const id of changed) {
      const i = this.index.get(id);
      if (i !== undefined) this.paintNode(i);
    }
  }

  get hasPlan(): boolean {
    return this.plan.size > 0;
  }

  get selectedId(): string | undefined {
    return this.model.nodes[this.selectedIndex]?.id;
  }

  select(id: string | undefined): void {
    const previous = this.nodes[this.selectedIndex];
    if (previous !== undefined) {
      previous.group.classList.remove('selected');
      previous.group.setAttribute('tabindex', '-1');
      for (const e of this.incident[this.selectedIndex] ?? []) this.edges[e]?.classList.remove('lit');
    }
    this.selectedIndex = id === undefined ? -1 : (this.index.get(id) ?? -1);
    const next = this.nodes[this.selectedIndex];
    if (next === undefined) return;
    next.group.classList.add('selected');
    next.group.setAttribute('tabindex', '0');
    for (const e of this.incident[this.selectedIndex] ?? []) this.edges[e]?.classList.add('lit');
  }

  focusSelected(): void {
    this.nodes[this.selectedIndex]?.group.focus({ preventScroll: true });
  }

  /** Where a node is, in layout coordinates. */
  box(id: string): { x: number; y: number; width: number; height: number } | undefined {
    const i = this.index.get(id);
    const b = this.layoutShown?.boxes;
    if (i === undefined || b === undefined) return undefined;
    return { x: b[i * 4] ?? 0, y: b[i * 4 + 1] ?? 0, width: b[i * 4 + 2] ?? 0, height: b[i * 4 + 3] ?? 0 };
  }

  /** Upstream (`up`) or downstream neighbours of a node. */
  neighbours(id: string, up: boolean): string[] {
    const i = this.index.get(id);
    if (i === undefined) return [];
    const out: string[] = [];
    for (const e of this.incident[i] ?? []) {
      const [a, b] = this.model.edges[e] ?? [-1, -1];
      const other = up ? (b === i ? a : -1) : a === i ? b : -1;
      const node = this.model.nodes[other];
      if (node !== undefined) out.push(node.id);
    }
    return out;
  }

  private createNode(parent: DocumentFragment, i: number, id: string, description: string | undefined, disabled: boolean): NodeParts {
    const group = el('g', parent, { class: disabled ? 'node disabled' : 'node', 'data-i': String(i), 'data-id': id, tabindex: '-1', role: 'button' });
    el('rect', group, { class: 'box', width: '184', height: '52', rx: '4' });
    el('rect', group, { class: 'bar', width: '4', height: '52', rx: '2' });
    const glyph = el('text', group, { class: 'glyph', x: '18', y: '31', 'aria-hidden': 'true' });
    const name = el('text', group, { class: 'id', x: '34', y: '22' });
    name.textContent = id.length > MAX_ID_CHARS ? `${id.slice(0, MAX_ID_CHARS - 1)}…` : id;
    const meta = el('text', group, { class: 'meta', x: '34', y: '40' });
    const badge = el('text', group, { class: 'badge', x: '176', y: '40' });
    const title = el('title', group);
    title.textContent = description === undefined ? id : `${id}\n${description}`;
    return { group, glyph, meta, badge };
  }

  private paintNode(i: number): void {
    const parts = this.nodes[i];
    const node = this.model.nodes[i];
    if (parts === undefined || node === undefined) return;
    const state = this.states.get(node.id);
    const mark = this.plan.get(node.id);
    const planKind = mark === undefined ? undefined : mark.reason === 'disabled' ? 'disabled' : mark.action;
    let cls = node.disabled === true ? 'node disabled' : 'node';
    if (state !== undefined) cls += ` s-${state.status}`;
    if (planKind !== undefined) cls += ` plan plan-${planKind}`;
    if (i === this.selectedIndex) cls += ' selected';
    parts.group.setAttribute('class', cls);
    parts.glyph.textContent = statusGlyph(state?.status);
    const meta: string[] = [];
    if (state?.durationMs !== undefined) meta.push(formatDuration(state.durationMs));
    if (state?.attempts !== undefined && state.attempts > 1) meta.push(`${state.attempts} attempts`);
    parts.meta.textContent = meta.length > 0 ? meta.join(' · ') : (state === undefined ? '' : statusWord(state.status));
    parts.badge.textContent = planKind === undefined ? '' : PLAN_WORDS[planKind];
    const label = [`Block ${node.id}`, statusWord(state?.status), ...meta];
    if (planKind !== undefined) label.push(`plan: ${PLAN_WORDS[planKind]}`);
    if (node.disabled === true) label.push('disabled');
    const ups = this.neighbours(node.id, true);
    if (ups.length > 0) label.push(`depends on ${ups.slice(0, 5).join(', ')}${ups.length > 5 ? ` and ${ups.length - 5} more` : ''}`);
    parts.group.setAttribute('aria-label', label.join(', '));
  }
}

function pathOf(points: readonly number[]): string {
  if (points.length < 4) return '';
  let d = `M${points[0] ?? 0},${points[1] ?? 0}`;
  for (let i = 2; i + 1 < points.length; i += 2) d += `L${points[i] ?? 0},${points[i + 1] ?? 0}`;
  return d;
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, parent: Node, attributes: Record<string, string> = {}): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  parent.appendChild(element);
  return element;
}
