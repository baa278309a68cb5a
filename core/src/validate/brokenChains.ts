import type { Pipeline } from '../model/pipeline.ts';
import { Dag } from '../graph/dag.ts';

/** A `depends_on` entry naming no block, with the block its did-you-mean proposes, if any. */
export interface UnknownDependency {
  block: string;
  name: string;
  suggestion: string | undefined;
}

/**
 * Tells whether a reference is "not upstream" only because a `depends_on` entry names an unknown
 * block, in the reading block or in one upstream of it. That entry is the one mistake: reporting
 * every reference behind it too (each advising to add a dependency the file already means to have)
 * would bury it. The check reads the graph as the did-you-mean would repair it, so a reference the
 * repair would not make upstream is still reported; an unknown entry with no suggestion could name
 * any block, so every reference behind it is explained, except one that would close a cycle.
 */
export class BrokenChains {
  private readonly repaired: Dag | undefined;
  private readonly behindUnguessable = new Set<string>();

  constructor(pipeline: Pipeline, unknown: readonly UnknownDependency[]) {
    if (unknown.length === 0) return;
    const guessed = new Map<string, string[]>();
    const unguessable: string[] = [];
    for (const u of unknown) {
      if (u.suggestion === undefined) unguessable.push(u.block);
      else guessed.set(u.block, [...(guessed.get(u.block) ?? []), u.suggestion]);
    }
    const repaired = new Dag(pipeline.blocks.map((b) => ({ id: b.id, dependsOn: [...b.dependsOn.map((d) => d.name), ...(guessed.get(b.id) ?? [])] })));
    this.repaired = repaired;
    // The blocks at or downstream of an unguessable entry, in one walk over the graph.
    const stack = [...unguessable];
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      if (this.behindUnguessable.has(id)) continue;
      this.behindUnguessable.add(id);
      stack.push(...repaired.directDownstream(id));
    }
  }

  /** Whether `target` not being upstream of `block` is explained by an unknown dependency. */
  explains(block: string, target: string): boolean {
    const repaired = this.repaired;
    if (repaired === undefined) return false;
    if (repaired.needs(block, target)) return true;
    return this.behindUnguessable.has(block) && !repaired.needs(target, block);
  }
}
