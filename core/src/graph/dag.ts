import { MinHeap } from '../util/minHeap.ts';

/**
 * The dependency graph of a pipeline over block ids. Edges go from a block to the blocks it
 * depends on (`upstreamOf`) and back (`downstreamOf`); unknown ids and self-edges are left out, as
 * the validator reports those separately. Every query is linear in the graph or better.
 */
export class Dag {
  /** Block ids in file order. */
  readonly ids: readonly string[];
  private readonly index = new Map<string, number>();
  private readonly up: number[][];
  private readonly down: number[][];

  constructor(nodes: readonly { id: string; dependsOn: readonly string[] }[]) {
    const ids: string[] = [];
    for (const node of nodes) {
      if (this.index.has(node.id)) continue;
      this.index.set(node.id, ids.length);
      ids.push(node.id);
    }
    this.ids = ids;
    this.up = ids.map(() => []);
    this.down = ids.map(() => []);
    const seen = new Set<number>();
    const done = new Uint8Array(ids.length);
    for (const node of nodes) {
      const i = this.index.get(node.id);
      if (i === undefined || done[i] === 1) continue; // a duplicated id keeps its first definition
      done[i] = 1;
      seen.clear();
      for (const dep of node.dependsOn) {
        const j = this.index.get(dep);
        if (j === undefined || j === i || seen.has(j)) continue;
        seen.add(j);
        this.up[i]?.push(j);
        this.down[j]?.push(i);
      }
    }
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  directUpstream(id: string): string[] {
    return this.names(this.up[this.index.get(id) ?? -1]);
  }

  directDownstream(id: string): string[] {
    return this.names(this.down[this.index.get(id) ?? -1]);
  }

  /**
   * Whether `block` needs `candidate`, directly or not. Most references name a direct dependency,
   * which the first check answers without a search.
   */
  needs(block: string, candidate: string): boolean {
    const from = this.index.get(block);
    const target = this.index.get(candidate);
    if (from === undefined || target === undefined || from === target) return false;
    if ((this.up[from] ?? []).includes(target)) return true;
    const seen = new Uint8Array(this.ids.length);
    const stack = [from];
    while (stack.length > 0) {
      const i = stack.pop() ?? 0;
      for (const j of this.up[i] ?? []) {
        if (j === target) return true;
        if (seen[j] === 1) continue;
        seen[j] = 1;
        stack.push(j);
      }
    }
    return false;
  }

  /** Every block `id` needs, transitively, in file order. */
  upstream(id: string): Set<string> {
    return this.reach(id, this.up);
  }

  /** Every block that needs `id`, transitively, in file order. */
  downstream(id: string): Set<string> {
    return this.reach(id, this.down);
  }

  /**
   * Kahn's algorithm with ties broken by file order, so the order is deterministic and as close to
   * the file as the dependencies allow. Blocks on a cycle are left out (see `cycles()`).
   */
  topologicalOrder(): string[] {
    const n = this.ids.length;
    const pending = this.up.map((u) => u.length);
    const ready = new MinHeap();
    for (let i = 0; i < n; i++) if (pending[i] === 0) ready.push(i);
    const order: string[] = [];
    for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
      order.push(this.ids[i] ?? '');
      for (const j of this.down[i] ?? []) {
        const left = (pending[j] ?? 0) - 1;
        pending[j] = left;
        if (left === 0) ready.push(j);
      }
    }
    return order;
  }

  /**
   * Cycles, each as a path of ids `[a, b, c]` meaning a depends on b, b on c and c on a. Every edge
   * on a cycle appears in at least one reported cycle (the shortest one through it), so each
   * offending `depends_on` entry can be marked; the count is bounded to keep hostile input cheap.
   */
  cycles(limit = 100): string[][] {
    const components = this.stronglyConnected().filter((c) => c.length > 1);
    const out: string[][] = [];
    const seen = new Set<string>();
    for (const component of components) {
      const inside = new Set(component);
      const covered = new Set<string>();
      for (const i of component) {
        for (const j of this.up[i] ?? []) {
          if (!inside.has(j) || covered.has(`${i}>${j}`)) continue;
          const path = this.shortestPath(j, i, inside);
          if (path === undefined) continue;
          const cycle = [i, ...path.slice(0, -1)];
          for (let k = 0; k < cycle.length; k++) covered.add(`${cycle[k]}>${cycle[(k + 1) % cycle.length]}`);
          const key = canonical(cycle);
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(cycle.map((x) => this.ids[x] ?? ''));
          if (out.length >= limit) return out;
        }
      }
    }
    return out;
  }

  private shortestPath(from: number, to: number, inside: Set<number>): number[] | undefined {
    const previous = new Map<number, number>([[from, -1]]);
    const queue = [from];
    for (let q = 0; q < queue.length; q++) {
      const at = queue[q] ?? 0;
      if (at === to) {
        const path: number[] = [];
        for (let x = to; x !== -1; x = previous.get(x) ?? -1) path.push(x);
        return path.reverse();
      }
      for (const next of this.up[at] ?? []) {
        if (!inside.has(next) || previous.has(next)) continue;
        previous.set(next, at);
        queue.push(next);
      }
    }
    return undefined;
  }

  /** Tarjan's algorithm, iterative so a 10,000-block chain cannot overflow the stack. */
  private stronglyConnected(): number[][] {
    const n = this.ids.length;
    const index = new Array<number>(n).fill(-1);
    const low = new Array<number>(n).fill(0);
    const onStack = new Array<boolean>(n).fill(false);
    const stack: number[] = [];
    const out: number[][] = [];
    let counter = 0;
    for (let root = 0; root < n; root++) {
      if (index[root] !== -1) continue;
      const work: [number, number][] = [[root, 0]];
      while (work.length > 0) {
        const frame = work[work.length - 1];
        if (frame === undefined) break;
        const [v, edge] = frame;
        if (edge === 0) {
          index[v] = low[v] = counter++;
          stack.push(v);
          onStack[v] = true;
        }
        const edges = this.up[v] ?? [];
        if (edge < edges.length) {
          frame[1] = edge + 1;
          const w = edges[edge] ?? 0;
          if (index[w] === -1) work.push([w, 0]);
          else if (onStack[w]) low[v] = Math.min(low[v] ?? 0, index[w] ?? 0);
          continue;
        }
        work.pop();
        const parent = work[work.length - 1];
        if (parent !== undefined) low[parent[0]] = Math.min(low[parent[0]] ?? 0, low[v] ?? 0);
        if (low[v] === index[v]) {
          const component: number[] = [];
          let w: number | undefined;
          do {
            w = stack.pop();
            if (w === undefined) break;
            onStack[w] = false;
            component.push(w);
          } while (w !== v);
          out.push(component.sort((a, b) => a - b));
        }
      }
    }
    return out;
  }

  private reach(id: string, edges: number[][]): Set<string> {
    const start = this.index.get(id);
    if (start === undefined) return new Set();
    const seen = new Uint8Array(this.ids.length);
    const stack = [...(edges[start] ?? [])];
    while (stack.length > 0) {
      const i = stack.pop() ?? 0;
      if (seen[i] === 1) continue;
      seen[i] = 1;
      for (const j of edges[i] ?? []) if (seen[j] === 0) stack.push(j);
    }
    const out = new Set<string>();
    for (let i = 0; i < seen.length; i++) if (seen[i] === 1 && i !== start) out.add(this.ids[i] ?? '');
    return out;
  }

  private names(list: number[] | undefined): string[] {
    return (list ?? []).map((i) => this.ids[i] ?? '');
  }
}

function canonical(cycle: number[]): string {
  let best = 0;
  for (let k = 1; k < cycle.length; k++) if ((cycle[k] ?? 0) < (cycle[best] ?? 0)) best = k;
  return [...cycle.slice(best), ...cycle.slice(0, best)].join(',');
}
