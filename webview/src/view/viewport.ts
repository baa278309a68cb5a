import { fitTransform } from './fitting.ts';

export interface ViewportState {
  x: number;
  y: number;
  scale: number;
}

const MIN_SCALE = 0.02;
const MAX_SCALE = 3;
/** CSS pixels drawn beyond each side of the view, so a pan of up to this much shows drawn graph, not blank. */
export const OVERSCAN = 480;
/** A gesture has settled when no pan or wheel step came for this long: then the graph is drawn anew. */
const SETTLE_MS = 140;

/**
 * Pan (drag the background) and zoom (wheel, around the pointer).
 *
 * During a gesture only one CSS transform changes, on the graph's `<svg>` element, a composited
 * layer of its own (will-change: transform): the compositor moves and scales the pixels already
 * drawn, with no per-node DOM or SVG work, so a frame costs the same at 3,000 blocks as at 30.
 * The layer is drawn OVERSCAN pixels larger than the view on every side, so a pan shows drawn
 * graph. When the gesture settles (pointer released, or no wheel step for SETTLE_MS), the SVG
 * transform takes the new view and the CSS transform is cleared: one repaint at the new scale,
 * sharp again, and node texts created for what is now in view (onChange with settled = true).
 *
 * `document.documentElement.dataset.graphGestures = 'repaint'` (set before the graph is shown)
 * restores the old path, a repaint of the SVG per step, for bench/graphNav.ts's side-by-side figures.
 */
export class Viewport {
  private readonly svg: SVGSVGElement;
  private readonly world: SVGGElement;
  /** What the user sees. */
  private state: ViewportState = { x: 0, y: 0, scale: 1 };
  /** What the SVG is drawn at; differs from `state` only during a gesture. */
  private drawn: ViewportState = { x: 0, y: 0, scale: 1 };
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onChange: (settled: boolean) => void;

  constructor(svg: SVGSVGElement, world: SVGGElement, onChange: (settled: boolean) => void) {
    this.svg = svg;
    this.world = world;
    this.onChange = onChange;
    this.applyOverscan();
    let drag: { pointer: number; x: number; y: number } | undefined;
    svg.addEventListener('pointerdown', (event) => {
      if (event.button !== 0 || (event.target as Element).closest('g.node, .far-nodes') !== null) return;
      drag = { pointer: event.pointerId, x: event.clientX, y: event.clientY };
      this.dragging = true;
      svg.classList.add('panning');
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener('pointermove', (event) => {
      if (drag?.pointer !== event.pointerId) return;
      this.move({ ...this.state, x: this.state.x + event.clientX - drag.x, y: this.state.y + event.clientY - drag.y });
      drag = { ...drag, x: event.clientX, y: event.clientY };
    });
    const end = (event: PointerEvent): void => {
      if (drag?.pointer !== event.pointerId) return;
      drag = undefined;
      this.dragging = false;
      svg.classList.remove('panning');
      this.settle();
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
    // On the host, not the svg: during a zoom-out gesture the svg's pixels shrink away from the pointer.
    const host = svg.parentElement ?? svg;
    // The svg reaches beyond the host (overscan), so focusing something in it may scroll the host
    // (overflow: hidden still scrolls programmatically), shifting the whole graph: undo that.
    host.addEventListener('scroll', () => {
      host.scrollTop = 0;
      host.scrollLeft = 0;
    });
    host.addEventListener(
      'wheel',
      (wheel) => {
        const event = wheel as WheelEvent;
        const target = event.target as Element;
        if (target !== host && !svg.contains(target)) return;
        event.preventDefault();
        const view = this.clientToView(event.clientX, event.clientY);
        this.zoomAt(Math.exp(-event.deltaY * 0.0015), view.x, view.y, true);
      },
      { passive: false },
    );
  }

  get current(): ViewportState {
    return { ...this.state };
  }

  /** Moves the view at once (fit, find, zoom buttons): drawn now, no gesture. */
  set(state: ViewportState): void {
    this.state = clamp(state);
    this.commit();
  }

  /** The part of the layout in view, in layout coordinates. */
  visibleArea(): { x: number; y: number; width: number; height: number } {
    const view = this.size();
    const { x, y, scale } = this.state;
    return { x: -x / scale, y: -y / scale, width: view.width / scale, height: view.height / scale };
  }

  /** What the svg draws, in layout coordinates: the visible area and the overscan around it (`margin` more on each side). */
  drawnArea(margin = 0): { x: number; y: number; width: number; height: number } {
    const area = this.visibleArea();
    const around = (this.overscan ?? 0) / this.state.scale + margin;
    return { x: area.x - around, y: area.y - around, width: area.width + 2 * around, height: area.height + 2 * around };
  }

  /** A point on screen (client coordinates) in layout coordinates, as the user sees it now. */
  toLayout(clientX: number, clientY: number): { x: number; y: number } {
    const view = this.clientToView(clientX, clientY);
    const { x, y, scale } = this.state;
    return { x: (view.x - x) / scale, y: (view.y - y) / scale };
  }

  /** Zooms around a point of the view; `gesture`: a wheel step, drawn when the wheel stops. */
  zoomAt(factor: number, px: number, py: number, gesture = false): void {
    const { x, y, scale } = this.state;
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale * factor));
    const state = { scale: next, x: px - ((px - x) * next) / scale, y: py - ((py - y) * next) / scale };
    if (gesture) this.move(state);
    else this.set(state);
  }

  zoomBy(factor: number): void {
    const { width, height } = this.size();
    this.zoomAt(factor, width / 2, height / 2);
  }

  /** The whole graph in view, never magnified beyond 1:1; a small graph stays readable (see fitTransform). */
  fit(width: number, height: number, nodes: number): void {
    this.set(fitTransform(this.size(), { width, height }, nodes, MIN_SCALE));
  }

  /** The view's size in CSS pixels. */
  get viewSize(): { width: number; height: number } {
    return this.size();
  }

  /** Centres a box, zooming in to a readable size when the view is zoomed far out. */
  centre(box: { x: number; y: number; width: number; height: number }): void {
    const view = this.size();
    const scale = Math.max(this.state.scale, 0.8);
    this.set({ scale, x: view.width / 2 - (box.x + box.width / 2) * scale, y: view.height / 2 - (box.y + box.height / 2) * scale });
  }

  /** Puts a layout point in the middle of the view, keeping the zoom; `gesture`: the minimap's drag. */
  centreOn(x: number, y: number, gesture = false): void {
    const view = this.size();
    const { scale } = this.state;
    const state = { scale, x: view.width / 2 - x * scale, y: view.height / 2 - y * scale };
    if (gesture) this.move(state);
    else this.set(state);
  }

  /** Shows a region whole (zoom to selection), between a readable zoom and 1:1 when it fits. */
  show(box: { x: number; y: number; width: number; height: number }): void {
    const view = this.size();
    const pad = 48;
    const scale = Math.min(1, Math.max(MIN_SCALE, Math.min((view.width - pad) / Math.max(1, box.width), (view.height - pad) / Math.max(1, box.height))));
    this.set({ scale, x: view.width / 2 - (box.x + box.width / 2) * scale, y: view.height / 2 - (box.y + box.height / 2) * scale });
  }

  /** Whether a box is at least partly visible. */
  shows(box: { x: number; y: number; width: number; height: number }): boolean {
    const view = this.size();
    const { x, y, scale } = this.state;
    const left = box.x * scale + x;
    const top = box.y * scale + y;
    return left + box.width * scale > 0 && top + box.height * scale > 0 && left < view.width && top < view.height;
  }


  /** One step of a gesture: the compositor moves the drawn layer; the SVG is redrawn when the gesture settles. */
  private move(state: ViewportState): void {
    this.state = clamp(state);
    if (repaintMode()) {
      this.commit();
      return;
    }
    const k = this.state.scale / this.drawn.scale;
    const tx = this.state.x - k * this.drawn.x;
    const ty = this.state.y - k * this.drawn.y;
    // Past the overscan the layer would show blank: draw anew now (one slow frame) rather than show nothing.
    if (k === 1 && (Math.abs(tx) > OVERSCAN || Math.abs(ty) > OVERSCAN)) {
      this.commit();
      return;
    }
    this.svg.style.transform = `translate(${tx}px,${ty}px) scale(${k})`;
    this.onChange(false);
    this.steps++;
    // A drag settles when the pointer is released; a wheel (or the minimap's drag) when it stops.
    if (!this.dragging) this.settleWhenIdle();
  }

  private steps = 0;
  private dragging = false;

  /**
   * Settles once no step came for SETTLE_MS and for one more frame: on a busy machine frames can
   * be further apart than SETTLE_MS, and settling between two steps of one gesture would redraw
   * the whole graph at every step, the cost this path exists to avoid.
   */
  private settleWhenIdle(): void {
    if (this.settleTimer !== undefined) return;
    const steps = this.steps;
    this.settleTimer = setTimeout(() => {
      requestAnimationFrame(() => {
        this.settleTimer = undefined;
        if (this.dragging || this.svg.style.transform === '') return;
        if (this.steps === steps) this.commit();
        else this.settleWhenIdle();
      });
    }, SETTLE_MS);
  }

  private settle(): void {
    if (sameState(this.state, this.drawn) && this.svg.style.transform === '') return;
    this.commit();
  }

  private commit(): void {
    this.drawn = { ...this.state };
    const o = this.applyOverscan();
    this.world.setAttribute('transform', `translate(${this.state.x + o},${this.state.y + o}) scale(${this.state.scale})`);
    this.svg.style.transform = '';
    this.onChange(true);
  }

  /** The overscan in use (none on the old path); the stylesheet sizes and places the svg from --overscan. */
  private applyOverscan(): number {
    const o = repaintMode() ? 0 : OVERSCAN;
    // Only when it changes: a custom property set on the svg is inherited by its 15,000 descendants.
    if (o === this.overscan) return o;
    this.overscan = o;
    this.svg.style.setProperty('--overscan', `${o}px`);
    this.svg.classList.toggle('layered', o > 0);
    return o;
  }

  private overscan: number | undefined;

  /** Client coordinates relative to the view's top left corner (the svg's box less the overscan). */
  private clientToView(clientX: number, clientY: number): { x: number; y: number } {
    const host = (this.svg.parentElement ?? this.svg).getBoundingClientRect();
    return { x: clientX - host.left, y: clientY - host.top };
  }

  private size(): { width: number; height: number } {
    // The layout box (clientWidth), not the bounding rectangle: a gesture's CSS transform scales the latter.
    const o = this.svg.classList.contains('layered') ? OVERSCAN : 0;
    const width = this.svg.clientWidth - 2 * o;
    const height = this.svg.clientHeight - 2 * o;
    return { width: width > 0 ? width : 800, height: height > 0 ? height : 600 };
  }
}

function repaintMode(): boolean {
  return document.documentElement.dataset.graphGestures === 'repaint';
}

function clamp(state: ViewportState): ViewportState {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, Number.isFinite(state.scale) ? state.scale : 1));
  return { x: Number.isFinite(state.x) ? state.x : 0, y: Number.isFinite(state.y) ? state.y : 0, scale };
}

function sameState(a: ViewportState, b: ViewportState): boolean {
  return a.x === b.x && a.y === b.y && a.scale === b.scale;
}
