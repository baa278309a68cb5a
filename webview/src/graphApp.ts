import { fastLayout } from './layout/fastLayout.ts';
import { LayoutClient } from './layout/layoutClient.ts';
import { structureHash } from './layout/structureHash.ts';
import type { Direction, GraphLayout, GraphModel, HostMessage, PlanMark, RenderPhase, WebviewMessage } from './protocol.ts';
import { Chrome } from './view/chrome.ts';
import { CompareList } from './view/compareList.ts';
import { Designer } from './view/designer.ts';
import { collapseGroups, GROUP_MARK, groupsOf } from './view/groups.ts';
import { Navigation } from './view/navigation.ts';
import { ProgressBar } from './view/progressBar.ts';
import { GraphView } from './view/graphView.ts';
import { ItemsPanel } from './view/itemsPanel.ts';
import { directionForShape } from './view/fitting.ts';
import { PLAN_WORDS } from './view/statusStyle.ts';
import { Viewport, type ViewportState } from './view/viewport.ts';

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** How long a small graph waits for its elk layout before the fast layout is painted. */
const HOLD_SMALL_GRAPH_MS = 120;
/** Below this many blocks elk usually answers within the wait above. */
const HOLD_BELOW_NODES = 100;
/** Layout units drawn beyond the view and its overscan: a node half in the overscan is drawn whole. */
const AREA_MARGIN = 40;

/** What survives a reload of the webview (VS Code keeps it with the panel). */
interface SavedState {
  direction: Direction;
  /** The user picked the direction; until then it follows the panel's shape. */
  directionChosen?: boolean;
  viewport?: ViewportState;
  selected?: string;
  layout?: GraphLayout;
  /** The pipeline file's URI: what the host's serializer reopens the panel on after a reload. */
  file?: string;
}

/**
 * The webview's controller: turns host messages into a painted graph and user gestures into
 * messages. A new structure is painted at once with the fast layout, then replaced by the worker's
 * elkjs layout; a structure seen before (same hash) is painted from the cache without any layout.
 */
export class GraphApp {
  private readonly api: VsCodeApi;
  private readonly chrome: Chrome;
  private readonly view: GraphView;
  private readonly viewport: Viewport;
  private readonly layouts: LayoutClient;
  private saved: SavedState;
  private model: GraphModel | undefined;
  private pendingHash: string | undefined;
  private receivedAt = 0;
  /** Until the user pans or zooms, a new layout is fitted to the view; afterwards it is left alone. */
  private userMovedView = false;
  private runId: number | undefined;
  private readonly designer: Designer;
  private readonly navigation: Navigation;
  private readonly progress: ProgressBar;
  private readonly compareList: CompareList;
  private readonly items: ItemsPanel;
  /** The structure as the host sent it; what is drawn is this with the collapsed groups folded. */
  private hostModel: GraphModel | undefined;
  private readonly collapsed = new Set<string>();

  constructor(root: HTMLElement, api: VsCodeApi, workerUrl: string | undefined) {
    this.api = api;
    this.saved = readSavedState(api.getState());
    if (this.saved.directionChosen !== true) this.saved.direction = directionForShape(window.innerWidth, window.innerHeight);
    this.chrome = new Chrome(root, {
      run: () => this.post({ type: 'toolbar', command: 'runPipeline' }),
      dryRun: () => this.post({ type: 'toolbar', command: 'dryRun' }),
      cancel: () => this.post({ type: 'toolbar', command: 'cancelRun' }),
      runControl: (command) => this.post({ type: 'toolbar', command }),
      fit: () => this.fit(),
      toggleDirection: () => this.setDirection(this.saved.direction === 'RIGHT' ? 'DOWN' : 'RIGHT', true),
      search: (text) => this.search(text),
      jumpToFound: () => this.view.focusSelected(),
      selectRun: (runId) => this.post({ type: 'selectRun', runId }),
      clearPlan: () => this.showPlan(undefined),
      blockCommand: (command, block) => this.post({ type: 'blockCommand', command, block }),
    });
    this.chrome.setDirection(this.saved.direction);
    this.view = new GraphView(this.chrome.graphHost, {
      select: (id) => this.select(id),
      // In edit mode a click selects (the side panel shows the block); the text editor is not pulled forward.
      activate: (id) => {
        if (id.endsWith(GROUP_MARK)) this.toggleGroup(id.slice(0, -GROUP_MARK.length));
        else if (!this.designer.editing) {
          // A fan-out node expands to its items (and still shows its block in the text).
          const state = this.view.allStates.get(id);
          if (state?.items !== undefined) this.items.toggle(id, state);
          this.post({ type: 'revealBlock', block: id });
        }
      },
      // A sub-pipeline node opens the child's graph; others their latest log.
      open: (id) => this.post({ type: 'blockCommand', command: this.view.graph.nodes.some((n) => n.id === id && n.pipeline !== undefined) ? 'openPipeline' : 'openLog', block: id }),
      contextMenu: (id, x, y) => this.chrome.openMenu(id, x, y, this.menuItems(id)),
      gate: (id, decision) => this.post({ type: 'blockCommand', command: decision, block: id }),
    });
    // During a gesture only the minimap's outline follows; node texts wait until it settles.
    this.viewport = new Viewport(this.view.svg, this.view.world, (settled) => (settled ? this.showArea() : (this.navigation as Navigation | undefined)?.minimap.update()));
    this.designer = new Designer(root, this.chrome.graphHost, this.view, this.viewport, (message) => this.post(message), (id) => this.select(id));
    this.progress = new ProgressBar(root, root.querySelector('.toolbar'), () => ({ model: this.view.graph, states: this.view.allStates }));
    this.compareList = new CompareList(root, this.chrome.graphHost, (message) => this.post(message), (block) => this.focus(block));
    this.items = new ItemsPanel(root, null, (message) => this.post(message));
    this.navigation = new Navigation(root, this.chrome.graphHost, this.view, this.viewport, () => this.viewMoved(), () => this.toggleAllGroups(), () => this.post({ type: 'toolbar', command: 'toggleMaximize' }));
    if (this.saved.viewport !== undefined) {
      this.viewport.set(this.saved.viewport);
      this.userMovedView = true;
    }
    this.chrome.graphHost.addEventListener('wheel', () => this.viewMoved(), { passive: true });
    // Only a drag on the background pans; a click on a node (or its port) leaves the view fitted.
    this.view.svg.addEventListener('pointerdown', (event) => {
      if ((event.target as Element).closest('g.node, .far-nodes') === null) this.viewMoved();
    });
    this.view.svg.addEventListener('keydown', (event) => this.key(event));
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        this.followShape();
        // A view the user has not moved stays fitted to the panel as it is resized.
        const layout = this.view.layout;
        if (!this.userMovedView && layout !== undefined) this.viewport.fit(layout.width, layout.height, this.view.graph.nodes.length);
      }, 200);
    });
    this.layouts = new LayoutClient(workerUrl, (layout) => this.finalLayout(layout), (message) => this.post({ type: 'error', message }));
  }

  start(): void {
    this.post({ type: 'ready', direction: this.saved.direction });
  }

  receive(data: unknown): void {
    if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string') return;
    const message = data as HostMessage;
    switch (message.type) {
      case 'model':
        if (typeof message.file === 'string' && message.file !== this.saved.file) {
          this.saved.file = message.file;
          this.save();
        }
        this.hostModel = message.model;
        this.showModel(this.folded(message.model), message.errorCount, message.direction, message.cachedLayout);
        return;
      case 'invalid':
        this.chrome.setErrors(message.errorCount);
        return;
      case 'items':
        if (message.runId === this.runId && Array.isArray(message.items)) this.items.show(message);
        return;
      case 'run':
        if (message.run?.runId !== this.runId) this.items.close();
        this.runId = message.run?.runId;
        this.view.setStates(message.blocks);
        this.chrome.showRun(message.run);
        for (const [block, state] of Object.entries(message.blocks)) this.progress.blockChanged(block, state);
        this.progress.show(message.run, true);
        this.showPlan(undefined);
        return;
      case 'status':
        if (message.runId !== this.runId) return;
        this.view.setState(message.block, message.state);
        this.items.stateChanged(message.block, message.state);
        this.chrome.showRun(message.header);
        this.progress.blockChanged(message.block, message.state);
        this.progress.show(message.header, false);
        return;
      case 'runs':
        this.chrome.setRuns(message.runs, message.selected);
        return;
      case 'plan':
        this.showPlan(message.marks);
        return;
      case 'clearPlan':
        this.showPlan(undefined);
        return;
      case 'focusBlock':
        this.focus(message.block);
        return;
      case 'editResult':
        this.designer.result(typeof message.error === 'string' ? message.error : undefined, typeof message.select === 'string' ? message.select : undefined);
        return;
      case 'fields':
        this.designer.showFields(message.block, message.fields);
        return;
      case 'fieldProblems':
        this.designer.showProblems(message.block, message.field, Array.isArray(message.problems) ? message.problems.filter((p) => typeof p === 'string') : []);
        return;
      case 'compare':
        this.view.setCompare(message.view);
        this.compareList.show(message.view);
        this.hostModel = message.model;
        this.showModel(this.folded(message.model), 0, this.saved.direction, undefined);
        return;
      case 'compareOff':
        this.view.setCompare(undefined);
        this.compareList.show(undefined);
        return;
      case 'estimates':
        if (message.runId === this.runId && typeof message.medians === 'object' && message.medians !== null) this.progress.setEstimates(message.medians);
        return;
      case 'snippets':
        this.designer.setSnippets(Array.isArray(message.names) ? message.names.filter((n) => typeof n === 'string') : [], Array.isArray(message.pipelines) ? message.pipelines.filter((p) => typeof p === 'string') : []);
        return;
      case 'paused':
        this.view.setPaused(Array.isArray(message.blocks) ? message.blocks.filter((b) => typeof b === 'string') : []);
        return;
      default:
        return;
    }
  }

  private showModel(model: GraphModel, errorCount: number, direction: Direction, cached: GraphLayout | undefined): void {
    this.receivedAt = performance.now();
    this.chrome.setErrors(errorCount);
    if (direction !== this.saved.direction) {
      // The host remembers the direction last chosen here, per panel.
      this.saved.direction = direction;
      this.chrome.setDirection(direction);
    }
    const hash = structureHash(model, this.saved.direction);
    const previous = this.model;
    this.model = model;
    if (this.view.layout?.hash === hash && previous !== undefined) {
      // Same blocks and edges: only texts may differ, positions and viewport stay.
      if (!sameTexts(previous, model)) this.view.render(model, this.view.layout);
      return;
    }
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const known = [cached, this.saved.layout].find((l) => l !== undefined && l.hash === hash && fits(l, model));
    if (known !== undefined) {
      this.pendingHash = undefined;
      this.paint(model, known, 'cached');
      return;
    }
    // elk starts first, in parallel with the fast layout and its paint.
    this.pendingHash = hash;
    this.layouts.request(model, this.saved.direction, hash);
    const layoutDirection = this.saved.direction;
    const paintFast = (): void => {
      this.holdTimer = undefined;
      this.paint(model, fastLayout(model, layoutDirection, hash), 'preliminary');
    };
    // A small graph's elk layout usually arrives within a frame or two: waiting briefly for it
    // avoids showing one layout and then jumping to another.
    if (model.nodes.length < HOLD_BELOW_NODES) this.holdTimer = setTimeout(paintFast, HOLD_SMALL_GRAPH_MS);
    else paintFast();
  }

  private holdTimer: ReturnType<typeof setTimeout> | undefined;

  private paint(model: GraphModel, layout: GraphLayout, phase: RenderPhase): void {
    const firstPaint = this.view.layout === undefined;
    this.view.render(model, layout);
    this.navigation.clearFocus();
    this.navigation.graphShown(model.nodes.length);
    this.navigation.minimap.setLayout(layout, () => undefined);
    // A block the last edit created can be selected only once it is drawn.
    this.designer.modelShown(model);
    if (firstPaint || !this.userMovedView) this.viewport.fit(layout.width, layout.height, this.model?.nodes.length ?? 0);
    this.scheduleDetails();
    if (phase === 'cached') this.remember(layout);
    this.reportPainted(phase);
  }

  private finalLayout(layout: GraphLayout): void {
    if (layout.hash !== this.pendingHash || this.model === undefined) return;
    this.pendingHash = undefined;
    if (this.holdTimer !== undefined) {
      // The fast layout was never painted: paint this one instead.
      clearTimeout(this.holdTimer);
      this.holdTimer = undefined;
      this.paint(this.model, layout, 'final');
      this.remember(layout);
      this.post({ type: 'layoutDone', layout });
      return;
    }
    this.view.applyLayout(layout);
    this.navigation.minimap.setLayout(layout, () => undefined);
    if (!this.userMovedView) this.viewport.fit(layout.width, layout.height, this.model?.nodes.length ?? 0);
    this.scheduleDetails();
    this.remember(layout);
    this.post({ type: 'layoutDone', layout });
    this.reportPainted('final');
  }

  /** Posts `rendered` after the browser has painted (the frame after the DOM change). */
  private reportPainted(phase: RenderPhase): void {
    const nodes = this.model?.nodes.length ?? 0;
    requestAnimationFrame(() => setTimeout(() => this.post({ type: 'rendered', phase, ms: performance.now() - this.receivedAt, nodes }), 0));
  }

  /** A panel whose shape flips (tall ⇄ wide) changes direction with it, until the user picks one. */
  private followShape(): void {
    if (this.saved.directionChosen === true) return;
    const direction = directionForShape(window.innerWidth, window.innerHeight);
    if (direction !== this.saved.direction) this.setDirection(direction, false);
  }

  private setDirection(direction: Direction, chosen: boolean): void {
    this.saved.direction = direction;
    if (chosen) this.saved.directionChosen = true;
    this.chrome.setDirection(direction);
    this.userMovedView = false;
    this.post({ type: 'direction', direction });
    if (this.model !== undefined) {
      const model = this.model;
      this.model = undefined;
      this.showModel(model, 0, direction, undefined);
    }
  }

  private showPlan(marks: PlanMark[] | undefined): void {
    this.view.setPlan(marks);
    if (marks === undefined) {
      this.chrome.setPlan(undefined);
      return;
    }
    const counts = new Map<string, number>();
    for (const mark of marks) {
      const word = PLAN_WORDS[mark.reason === 'disabled' ? 'disabled' : mark.action];
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    this.chrome.setPlan(`Dry run: ${[...counts].map(([word, n]) => `${n} ${word}`).join(', ')}.`);
  }

  private select(id: string): void {
    this.view.select(id);
    this.designer.selected(id);
    this.saved.selected = id;
    this.save();
  }

  private focus(id: string): boolean {
    const box = this.view.box(id);
    if (box === undefined) return false;
    this.select(id);
    if (!this.viewport.shows(box) || this.viewport.current.scale < 0.5) this.viewport.centre(box);
    this.view.focusSelected();
    return true;
  }

  private search(text: string): boolean {
    const nodes = this.model?.nodes ?? [];
    const needle = text.toLowerCase();
    const found = nodes.find((n) => n.id.toLowerCase() === needle) ?? nodes.find((n) => n.id.toLowerCase().includes(needle));
    if (found === undefined) return false;
    this.userMovedView = true;
    const box = this.view.box(found.id);
    if (box !== undefined) this.viewport.centre(box);
    this.select(found.id);
    return true;
  }

  private fit(): void {
    const layout = this.view.layout;
    if (layout !== undefined) this.viewport.fit(layout.width, layout.height, this.model?.nodes.length ?? 0);
    this.userMovedView = false;
  }

  /** Arrows follow edges along the flow and step between neighbours across it; Enter reveals. */
  private key(event: KeyboardEvent): void {
    const current = this.view.selectedId;
    if (current === undefined) return;
    const across = this.saved.direction === 'RIGHT' ? ['ArrowUp', 'ArrowDown'] : ['ArrowLeft', 'ArrowRight'];
    const forward = this.saved.direction === 'RIGHT' ? 'ArrowRight' : 'ArrowDown';
    const back = this.saved.direction === 'RIGHT' ? 'ArrowLeft' : 'ArrowUp';
    let next: string | undefined;
    if ((event.key === 'Enter' || event.key === ' ') && current.endsWith(GROUP_MARK)) this.toggleGroup(current.slice(0, -GROUP_MARK.length));
    else if (event.key === 'Enter' || event.key === ' ') {
      const state = this.view.allStates.get(current);
      if (state?.items !== undefined) this.items.toggle(current, state);
      this.post({ type: 'revealBlock', block: current });
    }
    else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      const rect = (event.target as Element).getBoundingClientRect();
      this.chrome.openMenu(current, rect.left + 20, rect.bottom, this.menuItems(current));
    } else if (event.key === forward) next = this.nearest(current, this.view.neighbours(current, false));
    else if (event.key === back) next = this.nearest(current, this.view.neighbours(current, true));
    else if (across.includes(event.key)) next = this.sibling(current, event.key === across[1]);
    else return;
    event.preventDefault();
    if (next !== undefined) this.focus(next);
  }

  private nearest(from: string, candidates: string[]): string | undefined {
    const origin = this.view.box(from);
    if (origin === undefined) return candidates[0];
    const distance = (id: string): number => {
      const b = this.view.box(id);
      return b === undefined ? Infinity : Math.hypot(b.x - origin.x, b.y - origin.y);
    };
    return [...candidates].sort((a, b) => distance(a) - distance(b))[0];
  }

  /** The closest node in the same layer (same position along the flow) on one side. */
  private sibling(from: string, after: boolean): string | undefined {
    const origin = this.view.box(from);
    if (origin === undefined) return undefined;
    const flowX = this.saved.direction === 'RIGHT';
    let best: string | undefined;
    let bestGap = Infinity;
    for (const node of this.model?.nodes ?? []) {
      const b = this.view.box(node.id);
      if (b === undefined || node.id === from) continue;
      if (Math.abs((flowX ? b.x - origin.x : b.y - origin.y)) > 1) continue;
      const gap = flowX ? b.y - origin.y : b.x - origin.x;
      if ((after ? gap > 0 : gap < 0) && Math.abs(gap) < bestGap) {
        bestGap = Math.abs(gap);
        best = node.id;
      }
    }
    return best;
  }

  private detailsPending = false;

  private folded(model: GraphModel): GraphModel {
    return collapseGroups(model, this.collapsed);
  }

  /** Collapses every group (blocks sharing an id prefix), or expands them all when some are collapsed. */
  private toggleAllGroups(): void {
    if (this.hostModel === undefined) return;
    if (this.collapsed.size > 0) this.collapsed.clear();
    else for (const key of groupsOf(this.hostModel).keys()) this.collapsed.add(key);
    this.redrawGroups();
  }

  private toggleGroup(key: string): void {
    if (this.collapsed.has(key)) this.collapsed.delete(key);
    else this.collapsed.add(key);
    this.redrawGroups();
  }

  private redrawGroups(): void {
    if (this.hostModel === undefined) return;
    this.userMovedView = false;
    this.showModel(this.folded(this.hostModel), 0, this.saved.direction, undefined);
  }

  private menuItems(id: string): { label: string; id: string; run: () => void }[] {
    const gate = this.view.stateOf(id)?.status === 'waiting'
      ? (['approve', 'reject'] as const).map((decision) => ({ label: decision === 'approve' ? 'Approve…' : 'Reject…', id: decision, run: () => this.post({ type: 'blockCommand', command: decision, block: id }) }))
      : [];
    const child = this.view.graph.nodes.some((n) => n.id === id && n.pipeline !== undefined)
      ? [{ label: 'Open Pipeline Graph', id: 'openPipeline', run: () => this.post({ type: 'blockCommand', command: 'openPipeline', block: id }) }]
      : [];
    return [...gate, ...child, ...this.navigation.menuItems(id), ...this.designer.menuItems(id)];
  }

  /** Node texts (and on a big graph, the elements) follow the view: once per frame at most. */
  private scheduleDetails(): void {
    if (this.detailsPending) return;
    this.detailsPending = true;
    requestAnimationFrame(() => {
      this.detailsPending = false;
      this.showArea();
    });
  }

  /**
   * The view settled (or jumped): what the svg draws follows it at once, in the same frame as the
   * new view transform, so newly uncovered parts never show blank.
   */
  private showArea(): void {
    // Constructed after the viewport, whose first change arrives before it exists.
    (this.navigation as Navigation | undefined)?.minimap.update();
    this.view.showArea(this.viewport.drawnArea(AREA_MARGIN), this.viewport.current.scale);
  }

  private viewMoved(): void {
    this.userMovedView = true;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), 500);
  }

  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  private remember(layout: GraphLayout): void {
    this.saved.layout = layout;
    this.save();
  }

  private save(): void {
    this.api.setState({ ...this.saved, viewport: this.viewport.current });
  }

  private post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }
}

function readSavedState(value: unknown): SavedState {
  const state = (typeof value === 'object' && value !== null ? value : {}) as Partial<SavedState>;
  return {
    direction: state.direction === 'DOWN' ? 'DOWN' : 'RIGHT',
    directionChosen: state.directionChosen === true,
    viewport: state.viewport,
    selected: typeof state.selected === 'string' ? state.selected : undefined,
    layout: state.layout,
    file: typeof state.file === 'string' ? state.file : undefined,
  };
}

function fits(layout: GraphLayout, model: GraphModel): boolean {
  return Array.isArray(layout.boxes) && layout.boxes.length === model.nodes.length * 4 && Array.isArray(layout.routes) && layout.routes.length === model.edges.length;
}

function sameTexts(a: GraphModel, b: GraphModel): boolean {
  return a.nodes.every((n, i) => n.description === b.nodes[i]?.description && n.disabled === b.nodes[i]?.disabled);
}
