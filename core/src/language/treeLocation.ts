import type { Span } from '../model/diagnostic.ts';
import type { YNode, YPair, YScalar } from '../yaml/ast.ts';

export interface TreeLocation {
  /** The pairs from the root down to the innermost one holding the offset. */
  pairs: YPair[];
  /** Their keys as text: `['blocks', 'build', 'retry']`. */
  path: string[];
  /** The offset is on the key of the last pair (else in or next to its value). */
  onKey: boolean;
  /** The innermost scalar holding the offset, key or value. */
  scalar: YScalar | undefined;
}

function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** The first of `items` whose span holds `offset`; items are in file order, so a binary search. */
function findHolding<T>(items: readonly T[], spanOf: (item: T) => Span, offset: number): T | undefined {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const item = items[mid];
    if (item === undefined) return undefined;
    const span = spanOf(item);
    if (offset < span.start) hi = mid - 1;
    else if (offset > span.end) lo = mid + 1;
    else {
      // A cursor right at the end of one item and the start of the next belongs to the next.
      const next = items[mid + 1];
      return next !== undefined && contains(spanOf(next), offset) ? next : item;
    }
  }
  return undefined;
}

export function keyText(pair: YPair): string {
  return pair.key.value === null ? '' : String(pair.key.value);
}

/** Where `offset` falls in the YAML tree of a validated document. */
export function locate(root: YNode | undefined, offset: number): TreeLocation {
  const location: TreeLocation = { pairs: [], path: [], onKey: false, scalar: undefined };
  let node = root;
  // Aliases can make the tree a DAG; each step goes strictly inward, so the depth bounds the walk.
  for (let depth = 0; node !== undefined && depth < 200; depth++) {
    if (node.kind === 'scalar') {
      if (contains(node.span, offset)) location.scalar = node;
      return location;
    }
    if (node.kind === 'seq') {
      node = findHolding(node.items, (item) => item.span, offset);
      continue;
    }
    const pair = findHolding(node.pairs, (p) => p.span, offset);
    if (pair === undefined) return location;
    location.pairs.push(pair);
    location.path.push(keyText(pair));
    if (contains(pair.key.span, offset)) {
      location.onKey = true;
      location.scalar = pair.key;
      return location;
    }
    node = pair.value;
  }
  return location;
}
