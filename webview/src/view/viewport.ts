import { fitTransform } from './fitting.ts';

export interface ViewportState {
  x: number;
  y: number;
  scale: number;
}

const MIN_SCALE = 0.02;
const MAX_SCALE = 3;

/**
 * Pan (drag the background) and zoom (wheel, around the pointer) by one transform on the graph's
 * root group, so moving the view never touches the nodes themselves.
 */
export class Viewport {
  private readonly svg: SVGSVGElement;
  private readonly world: SVGGElement;
  private state: ViewportState = { x: 0, y: 0, scale: 1 };
  private readonly onChange: () => void;

  constructor(svg: SVGSVGElement, world: SVGGElement, onChange: () => void) {
    this.svg = svg;
    this.world = world;
    this.onChange = onChange;
    let drag: { pointer: number; x: number; y: number } | undefined;
    svg.addEventListener('pointerdown', (event) => {
      if (event.button !== 0 || (event.target as Element).closest('g.node') !== null) return;
      drag = { pointer: event.pointerId, x: event.clientX, y: event.clientY };
      svg.setPointerCapture(event.pointerId);
      svg.classList.add('panning');
    });
    svg.addEventListener('pointermove', (event) => {
      if (drag?.pointer !== event.pointerId) return;
      this.set({ ...this.state, x: this.state.x + event.clientX - drag.x, y: this.state.y + event.clientY - drag.y });
      drag = { ...drag, x: event.clientX, y: event.clientY };
    });
    const end = (event: PointerEvent): void => {
      if (drag?.pointer !== event.pointerId) return;
      drag = undefined;
      svg.classList.remove('panning');
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
    svg.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const rect = svg.getBoundingClientRect();
        this.zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
      },
      { passive: false },
    );
  }

  get current(): ViewportState {
    return { ...this.state };
  }

  set(state: ViewportState): void {
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, Number.isFinite(state.scale) ? state.scale : 1));
    this.state = { x: Number.isFinite(state.x) ? state.x : 0, y: Number.isFinite(state.y) ? state.y : 0, scale };
    this.world.setAttribute('transform', `translate(${this.state.x},${this.state.y}) scale(${this.state.scale})`);
    this.onChange();
  }

  /** The part of the layout in view, in layout coordinates. */
  visibleArea(): { x: number; y: number; width: number; height: number } {
    const view = this.size();
    const { x, y, scale } = this.state;
    return { x: -x / scale, y: -y / scale, width: view.width / scale, height: view.height / scale };
  }

  zoomAt(factor: number, px: number, py: number): void {
    const { x, y, scale } = this.state;
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale * factor));
    this.set({ scale: next, x: px - ((px - x) * next) / scale, y: py - ((py - y) * next) / scale });
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

  /** Puts a layout point in the middle of the view, keeping the zoom. */
  centreOn(x: number, y: number): void {
    const view = this.size();
    const { scale } = this.state;
    this.set({ scale, x: view.width / 2 - x * scale, y: view.height / 2 - y * scale });
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

  private size(): { width: number; height: number } {
    const rect = this.svg.getBoundingClientRect();
    return { width: rect.width || 800, height: rect.height || 600 };
  }
}
