import type { BlockState, CompareView, GraphLayout, GraphModel, PlanMark } from '../protocol.ts';
import { formatElapsed } from '../../../core/src/util/duration.ts';
import { PLAN_WORDS, statusColor, statusGlyph, statusWord } from './statusStyle.ts';
import { progressText } from '../../../core/src/model/fanOutProgress.ts';
import { type Area, boxMeets, CULL_ABOVE, type FarLook, routeBounds, routeMeets } from './culling.ts';
import { FarLayer } from './farLayer.ts';
import { arrowOf, pathOf, segmentDistance } from './edgePaths.ts';
import { addNodeTexts, createNodeParts, type NodeLook, type NodeParts, paintGate, paintNodeParts, placeNodeParts } from './nodeElements.ts';
import { svgElement as el } from './svg.ts';

export interface GraphViewHandlers {
  select(id: string): void;
  /** Click or Enter: reveal the block in the editor. */
  activate(id: string): void;
  /** Double-click: open its latest log. */
  open(id: string): void;
  contextMenu(id: string, clientX: number, clientY: number): void;
  /** A button on a node waiting at its approval gate. */
  gate(id: string, decision: 'approve' | 'reject'): void;
}

const PAUSED_GLYPH = '⏸';

/** Below this zoom, node texts are unreadable: they are not created (3,000 nodes paint in a fraction of the time). */
export const DETAIL_SCALE = 0.3;

/**
 * The graph as SVG: one group per block, one path per edge. Everything the pipeline file wrote
 * (ids, descriptions) goes in through textContent, never markup. Status and plan changes touch only
 * the changed node's elements, so an update costs the same at 50 blocks as at 3,000. To paint
 * thousands of blocks quickly, all edges are one path (and their arrowheads another), and a node's
 * texts are created only when it is on screen at a readable zoom. Above CULL_ABOVE blocks only
 * what is in view has elements, and a zoomed-out view draws nodes as a few paths (view/culling.ts).
 */
export class GraphView {
  readonly svg: SVGSVGElement;
  readonly world: SVGGElement;
  private readonly edgeLayer: SVGGElement;
  private readonly nodeLayer: SVGGElement;
  private model: GraphModel = { pipelineName: '', nodes: [], edges: [] };
  private layoutShown: GraphLayout | undefined;
  /** Per block, its elements once created (attached only while `live` has it). */
  private nodes: (NodeParts | undefined)[] = [];
  /** The blocks whose elements are in the DOM. */
  private readonly live = new Set<number>();
  /** Zoomed far out on a big graph: every other node, one path per look. */
  private readonly farLayer: FarLayer;
  /** The drawn area (layout coordinates) and zoom the DOM was last culled for. */
  private area: Area | undefined;
  private scale = 1;
  private bounds: Float64Array = new Float64Array(0);
  /** Focus mode's kept blocks (the rest is dimmed), or none. */
  private keep: ReadonlySet<number> | undefined;
  private readonly edgePath: SVGPathElement;
  private readonly arrowPath: SVGPathElement;
  private readonly litPath: SVGPathElement;
  /** Edit mode's selected edge, drawn on top. */
  private readonly pickedPath: SVGPathElement;
  /** Compare mode: edges only the working copy has, and edges only the base had. */
  private readonly addedPath: SVGPathElement;
  private readonly removedPath: SVGPathElement;
  private compare: CompareView | undefined;
  /** The edges inside a focus (upstream/downstream), drawn undimmed. */
  private readonly focusPath: SVGPathElement;
  /** Edit mode's line from an output port to the pointer while a dependency is dragged. */
  readonly dragLine: SVGPathElement;
  private readonly index = new Map<string, number>();
  private readonly states = new Map<string, BlockState>();
  private plan = new Map<string, PlanMark>();
  /** Blocks a debugger holds before they start; kept across structure changes like states. */
  private paused = new Set<string>();
  private incident: number[][] = [];
  private selectedIndex = -1;

  constructor(host: HTMLElement, handlers: GraphViewHandlers) {
    this.svg = el('svg', undefined, { class: 'graph', role: 'group', 'aria-label': 'Pipeline graph' });
    this.world = el('g', this.svg, { class: 'world' });
    this.edgeLayer = el('g', this.world, { class: 'edges' });
    this.edgePath = el('path', this.edgeLayer, { class: 'edge' });
    this.arrowPath = el('path', this.edgeLayer, { class: 'arrowhead' });
    this.litPath = el('path', this.edgeLayer, { class: 'edge lit' });
    this.pickedPath = el('path', this.edgeLayer, { class: 'edge picked' });
    this.focusPath = el('path', this.edgeLayer, { class: 'edge focused' });
    this.addedPath = el('path', this.edgeLayer, { class: 'edge cmp-added' });
    this.removedPath = el('path', this.edgeLayer, { class: 'edge cmp-removed' });
    this.farLayer = new FarLayer(this.world);
    this.nodeLayer = el('g', this.world, { class: 'nodes' });
    this.dragLine = el('path', this.world, { class: 'drag-line' });
    host.append(this.svg);

    const target = (event: MouseEvent): string | undefined => {
      const group = (event.target as Element | null)?.closest('g.node');
      const i = Number(group?.getAttribute('data-i') ?? NaN);
      return Number.isInteger(i) ? this.model.nodes[i]?.id : this.farIdAt(event.clientX, event.clientY, event.target);
    };
    const gateButton = (event: MouseEvent | KeyboardEvent): { id: string; decision: 'approve' | 'reject' } | undefined => {
      const button = (event.target as Element | null)?.closest('.gate-button');
      const group = button?.closest('g.node');
      const id = group === null || group === undefined ? undefined : this.model.nodes[Number(group.getAttribute('data-i'))]?.id;
      const decision = button?.getAttribute('data-decision');
      return id !== undefined && (decision === 'approve' || decision === 'reject') ? { id, decision } : undefined;
    };
    this.world.addEventListener('click', (event) => {
      const gate = gateButton(event);
      if (gate !== undefined) {
        event.stopPropagation();
        handlers.gate(gate.id, gate.decision);
        return;
      }
      const id = target(event);
      if (id === undefined) return;
      handlers.select(id);
      handlers.activate(id);
    });
    this.world.addEventListener('keydown', (event) => {
      const gate = event.key === 'Enter' || event.key === ' ' ? gateButton(event) : undefined;
      if (gate === undefined) return;
      event.preventDefault();
      event.stopPropagation();
      handlers.gate(gate.id, gate.decision);
    });
    this.world.addEventListener('dblclick', (event) => {
      if (gateButton(event) !== undefined) return;
      const id = target(event);
      if (id !== undefined) handlers.open(id);
    });
    this.world.addEventListener('contextmenu', (event) => {
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
    this.nodes = model.nodes.map(() => undefined);
    this.live.clear();
    this.nodeLayer.replaceChildren();
    this.keep = undefined;
    this.selectedIndex = -1;
    this.applyLayout(layout);
    if (selected !== undefined) this.select(selected);
  }

  /** Whether this graph is big enough to keep only what is in view in the DOM. */
  private get culling(): boolean {
    // `document.documentElement.dataset.graphCulling = 'off'` keeps every node in the DOM (the path
    // before) for bench/graphNav.ts's side-by-side figures.
    return this.model.nodes.length > CULL_ABOVE && document.documentElement.dataset.graphCulling !== 'off';
  }

  /** Moves the existing elements to new positions (same structure). */
  applyLayout(layout: GraphLayout): void {
    this.layoutShown = layout;
    this.svg.setAttribute('data-hash', layout.hash);
    this.bounds = routeBounds(layout.routes);
    for (const i of this.live) this.place(i);
    this.pickEdge(undefined);
    this.cull();
    this.paintLit();
    this.paintCompareEdges();
  }

  /**
   * The view moved: `area` is what is drawn (the view and its overscan, layout coordinates). Node
   * texts are created for the nodes in it when zoomed in enough to read them; on a big graph, the
   * elements are culled to it (view/culling.ts).
   */
  showArea(area: Area, scale: number): void {
    this.area = area;
    this.scale = scale;
    this.svg.classList.toggle('far', scale < DETAIL_SCALE);
    this.cull();
    const b = this.layoutShown?.boxes;
    if (scale < DETAIL_SCALE || b === undefined) return;
    const candidates = this.culling ? [...this.live] : this.nodes.keys();
    for (const i of candidates) {
      if (this.nodes[i]?.details !== undefined || !boxMeets(b, i, area)) continue;
      this.addDetails(i);
      this.paintNode(i);
    }
  }

  /** Attaches the nodes that should have elements and detaches the others; redraws edges and far paths. */
  private cull(): void {
    const layout = this.layoutShown;
    if (layout === undefined) return;
    for (let i = 0; i < this.model.nodes.length; i++) this.settle(i);
    let edges = '';
    let arrows = '';
    const area = this.culling ? this.area : undefined;
    layout.routes.forEach((route, r) => {
      if (area !== undefined && !routeMeets(this.bounds, r, area)) return;
      edges += pathOf(route);
      arrows += arrowOf(route);
    });
    this.edgePath.setAttribute('d', edges);
    this.arrowPath.setAttribute('d', arrows);
    this.paintFar();
  }

  /** Whether a node should have elements now. */
  private wanted(i: number): boolean {
    if (!this.culling || i === this.selectedIndex) return true;
    const id = this.model.nodes[i]?.id;
    // A gate's buttons stay reachable with Tab; so does whatever holds the keyboard focus.
    if (id !== undefined && this.states.get(id)?.status === 'waiting') return true;
    if (this.live.has(i) && this.nodes[i]?.group.contains(document.activeElement) === true) return true;
    const b = this.layoutShown?.boxes;
    return this.scale >= DETAIL_SCALE && this.area !== undefined && b !== undefined && boxMeets(b, i, this.area);
  }

  /** Attaches or detaches one node's elements as `wanted` says; whether that changed anything. */
  private settle(i: number): boolean {
    const want = this.wanted(i);
    if (want === this.live.has(i)) return false;
    if (want) {
      const node = this.model.nodes[i];
      if (node === undefined) return false;
      const parts = this.nodes[i] ?? createNodeParts(i, node.id, node.disabled === true);
      this.nodes[i] = parts;
      this.nodeLayer.appendChild(parts.group);
      this.live.add(i);
      this.place(i);
      this.paintNode(i);
    } else {
      this.nodes[i]?.group.remove();
      this.live.delete(i);
    }
    return true;
  }

  /** Zoomed far out on a big graph, the nodes without elements of their own: a few paths (view/farLayer.ts). */
  private paintFar(): void {
    const b = this.layoutShown?.boxes;
    if (!this.culling || this.scale >= DETAIL_SCALE || b === undefined) this.farLayer.clear();
    else this.farLayer.paint(b, this.model.nodes.length, this.scale, (i) => this.live.has(i), (i) => this.farLook(i));
  }

  private scheduleFar(): void {
    if (this.culling && this.scale < DETAIL_SCALE) this.farLayer.schedule(() => this.paintFar());
  }

  /** What a dry run's plan says of a block (a disabled block reads as `disabled`), or undefined. */
  private planKindOf(id: string): PlanMark['action'] | 'disabled' | undefined {
    const mark = this.plan.get(id);
    return mark === undefined ? undefined : mark.reason === 'disabled' ? 'disabled' : mark.action;
  }

  private farLook(i: number): FarLook {
    const node = this.model.nodes[i];
    const id = node?.id ?? '';
    const state = this.states.get(id);
    const planKind = this.planKindOf(id);
    const paused = this.paused.has(id);
    const classes: string[] = [];
    if (this.keep !== undefined && !this.keep.has(i)) classes.push('dim');
    if (planKind === 'skipped' || planKind === 'condition_failed' || planKind === 'disabled') classes.push(`plan-${planKind}`);
    if (paused) classes.push('paused');
    if (this.compare?.nodes[id] === 'removed') classes.push('cmp-removed');
    return { classes: classes.join(' '), colour: state !== undefined && !paused ? statusColor(state.status) : undefined };
  }

  /** The block under a point of a far path (client coordinates). */
  private farIdAt(clientX: number, clientY: number, target: EventTarget | null): string | undefined {
    const b = this.layoutShown?.boxes;
    const i = b === undefined ? undefined : FarLayer.boxAt(this.world, b, this.model.nodes.length, clientX, clientY, target);
    return i === undefined ? undefined : this.model.nodes[i]?.id;
  }

  /** The block drawn at a point (client coordinates): its own elements, or a far path's. */
  idAt(clientX: number, clientY: number): string | undefined {
    for (const element of document.elementsFromPoint(clientX, clientY)) {
      const group = element.closest('g.node');
      if (group !== null) return group.getAttribute('data-id') ?? undefined;
      const far = this.farIdAt(clientX, clientY, element);
      if (far !== undefined) return far;
    }
    return undefined;
  }

  setStates(states: Record<string, BlockState>): void {
    this.states.clear();
    // Kept even for ids not drawn yet: a new panel may get its run before its first layout is rendered
    // (render() drops the states of ids its model does not have).
    for (const [id, state] of Object.entries(states)) this.states.set(id, state);
    for (let i = 0; i < this.nodes.length; i++) this.paintNode(i);
    if (this.culling) this.cull();
  }

  setState(id: string, state: BlockState): void {
    const i = this.index.get(id);
    if (i === undefined) return;
    const waiting = this.states.get(id)?.status === 'waiting' || state.status === 'waiting';
    this.states.set(id, state);
    // A gate (waiting) keeps its node's elements; one that is no longer waiting may lose them.
    if (!(waiting && this.settle(i))) this.paintNode(i);
    if (waiting) this.scheduleFar();
  }

  /** Every block's state in the shown run. */
  get allStates(): ReadonlyMap<string, BlockState> {
    return this.states;
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

  setPaused(blocks: readonly string[]): void {
    const changed = new Set([...this.paused, ...blocks]);
    this.paused = new Set(blocks);
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
    const before = this.selectedIndex;
    const previous = this.nodes[before];
    if (previous !== undefined) {
      previous.group.classList.remove('selected');
      previous.group.setAttribute('tabindex', '-1');
    }
    this.selectedIndex = id === undefined ? -1 : (this.index.get(id) ?? -1);
    // The selected node always has its elements (keyboard focus, screen-reader label); the one before may lose them.
    const moved = [this.settle(before), this.settle(this.selectedIndex)].some((changed) => changed);
    const next = this.nodes[this.selectedIndex];
    if (next !== undefined) {
      next.group.classList.add('selected');
      next.group.setAttribute('tabindex', '0');
      if (next.details === undefined) {
        this.addDetails(this.selectedIndex);
        this.paintNode(this.selectedIndex);
      }
    }
    if (moved) this.paintFar();
    this.paintLit();
  }

  /** The selected node's edges, drawn again on top, highlighted. */
  private paintLit(): void {
    let d = '';
    for (const e of this.incident[this.selectedIndex] ?? []) d += pathOf(this.layoutShown?.routes[e] ?? []);
    this.litPath.setAttribute('d', d);
  }

  /**
   * Focus on part of the graph: every node outside `keep` (indexes) and every edge not between two
   * kept nodes is dimmed; undefined shows everything again.
   */
  setFocus(keep: ReadonlySet<number> | undefined): void {
    this.svg.classList.toggle('focusing', keep !== undefined);
    this.keep = keep;
    for (const i of this.live) this.nodes[i]?.group.classList.toggle('dim', keep !== undefined && !keep.has(i));
    this.paintFar();
    let d = '';
    if (keep !== undefined) {
      this.model.edges.forEach(([a, b], e) => {
        if (keep.has(a) && keep.has(b)) d += pathOf(this.layoutShown?.routes[e] ?? []);
      });
    }
    this.focusPath.setAttribute('d', d);
  }

  /** Compare mode's marks (by block id and edge index of the shown model), or none. */
  setCompare(view: CompareView | undefined): void {
    this.compare = view;
    this.svg.classList.toggle('comparing', view !== undefined);
    for (let i = 0; i < this.nodes.length; i++) this.paintNode(i);
    this.paintFar();
    this.paintCompareEdges();
  }

  private paintCompareEdges(): void {
    const routes = this.layoutShown?.routes ?? [];
    const draw = (edges: readonly number[] | undefined): string => (edges ?? []).map((e) => pathOf(routes[e] ?? [])).join('');
    this.addedPath.setAttribute('d', draw(this.compare?.addedEdges));
    this.removedPath.setAttribute('d', draw(this.compare?.removedEdges));
  }

  /** Highlights one edge (edit mode's selection), or none. */
  pickEdge(edge: number | undefined): void {
    this.pickedPath.setAttribute('d', edge === undefined ? '' : pathOf(this.layoutShown?.routes[edge] ?? []));
  }

  /** The edge whose route passes within `tolerance` of a point (layout coordinates). */
  edgeAt(x: number, y: number, tolerance: number): number | undefined {
    let best: number | undefined;
    let bestDistance = tolerance;
    (this.layoutShown?.routes ?? []).forEach((route, e) => {
      for (let i = 0; i + 3 < route.length; i += 2) {
        const d = segmentDistance(x, y, route[i] ?? 0, route[i + 1] ?? 0, route[i + 2] ?? 0, route[i + 3] ?? 0);
        if (d <= bestDistance) {
          bestDistance = d;
          best = e;
        }
      }
    });
    return best;
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

  /** Puts a node's elements at its layout position. */
  private place(i: number): void {
    const parts = this.nodes[i];
    const b = this.layoutShown?.boxes;
    if (parts !== undefined && b !== undefined) placeNodeParts(parts, b[i * 4] ?? 0, b[i * 4 + 1] ?? 0, this.layoutShown?.direction === 'RIGHT');
  }

  private addDetails(i: number): void {
    const parts = this.nodes[i];
    const node = this.model.nodes[i];
    if (parts === undefined || node === undefined || parts.details !== undefined) return;
    addNodeTexts(parts, node);
    this.place(i);
  }

  private paintNode(i: number): void {
    const parts = this.nodes[i];
    const node = this.model.nodes[i];
    if (node === undefined) return;
    // A node without elements is painted when it gets them; zoomed far out, its path may change.
    if (parts === undefined || !this.live.has(i)) {
      this.scheduleFar();
      return;
    }
    const state = this.states.get(node.id);
    if (paintGate(parts, node.id, state?.status === 'waiting')) this.place(i);
    paintNodeParts(parts, this.lookOf(i));
  }

  /** A node's classes, colour, texts and screen-reader label from its state, plan, focus and comparison. */
  private lookOf(i: number): NodeLook {
    const node = this.model.nodes[i] ?? { id: '' };
    const state = this.states.get(node.id);
    const planKind = this.planKindOf(node.id);
    let cls = node.disabled === true ? 'node disabled' : 'node';
    if (state !== undefined) cls += ` s-${state.status}`;
    if (planKind !== undefined) cls += ` plan plan-${planKind}`;
    const paused = this.paused.has(node.id);
    if (paused) cls += ' paused';
    if (i === this.selectedIndex) cls += ' selected';
    if (this.keep !== undefined && !this.keep.has(i)) cls += ' dim';
    const change = this.compare?.nodes[node.id];
    if (change !== undefined && change !== 'unchanged') cls += ` cmp-${change}`;
    if (node.members !== undefined) cls += ' group';
    if (node.pipeline !== undefined) cls += ' sub-pipeline';
    const meta: string[] = [];
    if (state?.items !== undefined) meta.push(progressText(state.items));
    if (state?.durationMs !== undefined) meta.push(formatElapsed(state.durationMs));
    if (state?.attempts !== undefined && state.attempts > 1) meta.push(`${state.attempts} attempts`);
    const label = [node.members !== undefined ? `Group ${node.id} of ${node.members} blocks, Enter expands it` : `Block ${node.id}`, ...(paused ? [`${PAUSED_GLYPH} paused in the debugger`] : []), statusWord(state?.status), ...(state?.status === 'waiting' ? ['waiting for approval: Tab to its Approve and Reject buttons'] : []), ...meta];
    if (planKind !== undefined) label.push(`plan: ${PLAN_WORDS[planKind]}`);
    if (state?.items !== undefined) label.push(`fan-out of ${state.items.total} items, Enter or a click lists them`);
    if (node.disabled === true) label.push('disabled');
    if (node.pipeline !== undefined) label.push(`runs pipeline ${node.pipeline}: its graph is in the node menu`);
    if (change !== undefined && change !== 'unchanged') label.push(`${change} since ${this.compare?.label ?? 'the base'}`);
    const ups = this.neighbours(node.id, true);
    if (ups.length > 0) label.push(`depends on ${ups.slice(0, 5).join(', ')}${ups.length > 5 ? ` and ${ups.length - 5} more` : ''}`);
    return {
      classes: cls,
      // The status colour from core's table; a paused node keeps the debugger's colour from the stylesheet.
      colour: state !== undefined && !paused ? statusColor(state.status) : undefined,
      glyph: paused ? PAUSED_GLYPH : statusGlyph(state?.status),
      meta: meta.length > 0 ? meta.join(' · ') : state === undefined ? '' : statusWord(state.status),
      badge: planKind === undefined ? (state?.items !== undefined ? '▾ items' : node.pipeline === undefined ? '' : 'sub-pipeline') : PLAN_WORDS[planKind],
      label: label.join(', '),
    };
  }
}
