import type { GraphModel } from '../protocol.ts';
import type { GraphView } from './graphView.ts';
import { Minimap } from './minimap.ts';
import type { Viewport } from './viewport.ts';

const ZOOM_STEP = 1.25;
/** Below this many blocks the whole graph is usually in view: the minimap stays hidden unless asked for. */
const MINIMAP_FROM_NODES = 40;

/**
 * Getting around a large graph: zoom buttons and keys, zoom to the selection, the minimap, and
 * focusing on a block's upstream or downstream (the rest dimmed).
 */
export class Navigation {
  readonly minimap: Minimap;
  private readonly view: GraphView;
  private readonly viewport: Viewport;
  private readonly focusLabel: HTMLElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly onMoved: () => void;

  constructor(root: HTMLElement, graphHost: HTMLElement, view: GraphView, viewport: Viewport, onMoved: () => void, toggleGroups: () => void, toggleMaximize: () => void) {
    this.view = view;
    this.viewport = viewport;
    this.onMoved = onMoved;
    const bar = document.createElement('div');
    bar.className = 'nav-bar';
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Zoom and navigation');
    graphHost.append(bar);
    this.button(bar, '+', 'Zoom in (+)', 'zoom-in', () => this.zoom(ZOOM_STEP));
    this.button(bar, '−', 'Zoom out (−)', 'zoom-out', () => this.zoom(1 / ZOOM_STEP));
    this.button(bar, 'Selection', 'Zoom to the selected block and its neighbours', 'zoom-selection', () => this.zoomToSelection());
    this.button(bar, 'Minimap', 'Show or hide the minimap', 'minimap-toggle', () => {
      this.minimapChosen = true;
      this.minimap.hidden = !this.minimap.hidden;
      this.minimap.update();
    });
    this.button(bar, 'Groups', 'Collapse each group into one node (the blocks\' `group:` names, else blocks sharing an id prefix: load_a, load_b → load…) or expand them; Enter or a click on a group expands it', 'groups-toggle', toggleGroups);
    this.button(bar, 'Full screen', 'Maximize the graph (the editor group) or restore it', 'maximize', toggleMaximize);
    this.minimap = new Minimap(graphHost, viewport);
    this.focusLabel = document.createElement('span');
    this.focusLabel.className = 'focus-label';
    this.focusLabel.setAttribute('aria-live', 'polite');
    bar.append(this.focusLabel);
    this.clearButton = this.button(bar, 'Show all', 'Show the whole graph again', 'clear-focus', () => this.clearFocus());
    this.clearButton.hidden = true;
    view.svg.addEventListener('keydown', (event) => {
      if (event.key === '+' || event.key === '=') this.zoom(ZOOM_STEP);
      else if (event.key === '-' || event.key === '_') this.zoom(1 / ZOOM_STEP);
      else if (event.key === 'Escape' && this.clearButton.hidden === false) this.clearFocus();
      else return;
      event.preventDefault();
    });
  }

  /** Whether the user showed or hid the minimap; until then it is shown for graphs large enough to need it. */
  private minimapChosen = false;

  graphShown(nodes: number): void {
    if (!this.minimapChosen) this.minimap.hidden = nodes < MINIMAP_FROM_NODES;
  }

  /** The node menu's navigation items. */
  menuItems(id: string): { label: string; id: string; run: () => void }[] {
    return [
      { label: 'Focus Upstream', id: 'focusUpstream', run: () => this.focus(id, true) },
      { label: 'Focus Downstream', id: 'focusDownstream', run: () => this.focus(id, false) },
    ];
  }

  /** Dims everything but `id` and what it needs (`up`) or what needs it. */
  focus(id: string, up: boolean): void {
    const model = this.view.graph;
    const start = this.view.indexOf(id);
    if (start === undefined) return;
    const keep = reach(model, start, up);
    this.view.setFocus(keep);
    this.focusLabel.textContent = `${up ? 'Upstream of' : 'Downstream of'} ${id}: ${keep.size} of ${model.nodes.length} blocks`;
    this.clearButton.hidden = false;
  }

  clearFocus(): void {
    this.view.setFocus(undefined);
    this.focusLabel.textContent = '';
    this.clearButton.hidden = true;
  }

  private zoom(factor: number): void {
    this.viewport.zoomBy(factor);
    this.onMoved();
  }

  private zoomToSelection(): void {
    const id = this.view.selectedId;
    if (id === undefined) return;
    const boxes = [id, ...this.view.neighbours(id, true), ...this.view.neighbours(id, false)].map((n) => this.view.box(n)).filter((b) => b !== undefined);
    const x = Math.min(...boxes.map((b) => b.x));
    const y = Math.min(...boxes.map((b) => b.y));
    const right = Math.max(...boxes.map((b) => b.x + b.width));
    const bottom = Math.max(...boxes.map((b) => b.y + b.height));
    this.viewport.show({ x, y, width: right - x, height: bottom - y });
    this.onMoved();
  }

  private button(bar: HTMLElement, text: string, title: string, name: string, onClick: () => void): HTMLButtonElement {
    const b = document.createElement('button');
    b.className = `nav-button ${name}`;
    b.textContent = text;
    b.title = title;
    b.setAttribute('aria-label', title);
    b.addEventListener('click', onClick);
    bar.append(b);
    return b;
  }
}

/** `start` and every node it reaches upstream (`up`) or downstream, as indexes. */
export function reach(model: GraphModel, start: number, up: boolean): Set<number> {
  const next: number[][] = model.nodes.map(() => []);
  for (const [a, b] of model.edges) (up ? next[b] : next[a])?.push(up ? a : b);
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const n of next[stack.pop() ?? 0] ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(n);
    }
  }
  return seen;
}
