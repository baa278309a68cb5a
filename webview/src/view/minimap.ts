import type { GraphLayout } from '../protocol.ts';
import type { Viewport } from './viewport.ts';

const WIDTH = 180;
const HEIGHT = 120;

/**
 * The whole graph in a corner, with the part in view outlined; click or drag in it to move the
 * view there. Drawn on a canvas: the nodes once per layout (into a bitmap), the outline per frame,
 * so it costs the same at 3,000 blocks as at 30.
 */
export class Minimap {
  readonly canvas: HTMLCanvasElement;
  private readonly viewport: Viewport;
  private layout: GraphLayout | undefined;
  private nodes: ImageBitmap | HTMLCanvasElement | undefined;
  private scale = 1;
  private pending = false;
  /** The outline colour, read once per layout: reading computed style every frame forces a style pass over 3,000 nodes. */
  private viewColour = '#09f';

  constructor(host: HTMLElement, viewport: Viewport) {
    this.viewport = viewport;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'minimap';
    this.canvas.width = WIDTH * devicePixelRatio;
    this.canvas.height = HEIGHT * devicePixelRatio;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Minimap of the whole graph; click to move the view');
    host.append(this.canvas);
    let dragging = false;
    const moveTo = (event: PointerEvent): void => {
      const rect = this.canvas.getBoundingClientRect();
      const x = (event.clientX - rect.left) / this.scale;
      const y = (event.clientY - rect.top) / this.scale;
      this.viewport.centreOn(x, y, true);
    };
    this.canvas.addEventListener('pointerdown', (event) => {
      dragging = true;
      this.canvas.setPointerCapture(event.pointerId);
      moveTo(event);
    });
    this.canvas.addEventListener('pointermove', (event) => {
      if (dragging) moveTo(event);
    });
    this.canvas.addEventListener('pointerup', () => (dragging = false));
    this.canvas.addEventListener('pointercancel', () => (dragging = false));
  }

  set hidden(value: boolean) {
    this.canvas.hidden = value;
  }

  get hidden(): boolean {
    return this.canvas.hidden === true;
  }

  setLayout(layout: GraphLayout, colourOf: (i: number) => string | undefined): void {
    this.layout = layout;
    this.scale = Math.min(WIDTH / Math.max(1, layout.width), HEIGHT / Math.max(1, layout.height));
    const off = document.createElement('canvas');
    off.width = this.canvas.width;
    off.height = this.canvas.height;
    const g = off.getContext('2d');
    if (g !== null) {
      const dpr = devicePixelRatio;
      const style = getComputedStyle(this.canvas);
      this.viewColour = style.getPropertyValue('--minimap-view').trim() || '#09f';
      const fallback = style.getPropertyValue('--minimap-node').trim() || '#888';
      for (let i = 0; i * 4 < layout.boxes.length; i++) {
        g.fillStyle = colourOf(i) ?? fallback;
        const b = layout.boxes;
        g.fillRect((b[i * 4] ?? 0) * this.scale * dpr, (b[i * 4 + 1] ?? 0) * this.scale * dpr, Math.max(1, (b[i * 4 + 2] ?? 0) * this.scale * dpr), Math.max(1, (b[i * 4 + 3] ?? 0) * this.scale * dpr));
      }
    }
    this.nodes = off;
    this.draw();
  }

  /** The view moved: redraw the outline on the next frame. */
  update(): void {
    if (this.pending || this.canvas.hidden) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private draw(): void {
    const g = this.canvas.getContext('2d');
    if (g === null || this.layout === undefined) return;
    const dpr = devicePixelRatio;
    g.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.nodes !== undefined) g.drawImage(this.nodes, 0, 0);
    const area = this.viewport.visibleArea();
    g.strokeStyle = this.viewColour;
    g.lineWidth = 1.5 * dpr;
    g.strokeRect(area.x * this.scale * dpr, area.y * this.scale * dpr, area.width * this.scale * dpr, area.height * this.scale * dpr);
  }
}
