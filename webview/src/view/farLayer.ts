import { type Area, boxMeets, type FarLook, farPaths } from './culling.ts';
import { svgElement } from './svg.ts';
/** The side of a far path's cell on screen (culling.ts farPaths): about two raster tiles. */
const FAR_CELL_PX = 512;

/**
 * A big graph zoomed far out: the nodes without elements of their own, drawn as one path per look
 * and screen cell (view/culling.ts). Hidden from the accessibility tree: the selected node keeps
 * its own elements and label.
 */
export class FarLayer {
  readonly group: SVGGElement;
  private pending = false;

  constructor(parent: SVGGElement) {
    this.group = svgElement('g', parent, { class: 'far-layer', 'aria-hidden': 'true' });
  }

  clear(): void {
    this.pending = false;
    this.group.replaceChildren();
  }

  /** Draws the boxes `skip` leaves out, looked up by `lookOf`, for the zoom `scale`. */
  paint(boxes: readonly number[], count: number, scale: number, skip: (i: number) => boolean, lookOf: (i: number) => FarLook): void {
    this.pending = false;
    const paths = farPaths(boxes, count, skip, lookOf, FAR_CELL_PX / scale);
    this.group.replaceChildren(
      ...paths.map(({ look, d }) => {
        const path = svgElement('path', undefined, { class: `far-nodes ${look.classes}`.trim(), d });
        if (look.colour !== undefined) path.style.setProperty('--status', look.colour);
        return path;
      }),
    );
  }

  /** A status change of a node without elements: `repaint` runs once per frame at most. */
  schedule(repaint: () => void): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      if (this.pending) repaint();
    });
  }

  /** The index of the box under a point of a far path (client coordinates), found from the layout. */
  static boxAt(world: SVGGElement, boxes: readonly number[], count: number, clientX: number, clientY: number, target: EventTarget | null): number | undefined {
    if (!(target instanceof Element) || !target.classList.contains('far-nodes')) return undefined;
    const m = world.getScreenCTM();
    if (m === null) return undefined;
    const p = new DOMPoint(clientX, clientY).matrixTransform(m.inverse());
    const point: Area = { x: p.x, y: p.y, width: 0, height: 0 };
    for (let i = 0; i < count; i++) if (boxMeets(boxes, i, point)) return i;
    return undefined;
  }
}
