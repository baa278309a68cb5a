const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with its attributes, appended to `parent` when one is given. */
export function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, parent: Node | undefined, attributes: Record<string, string> = {}): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  parent?.appendChild(element);
  return element;
}

/** A coordinate for path data: one decimal is finer than a pixel at any zoom the graph allows. */
export function round(value: number | undefined): number {
  return Math.round((value ?? 0) * 10) / 10;
}
