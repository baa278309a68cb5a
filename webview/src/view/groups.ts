import type { GraphModel, GraphNode } from '../protocol.ts';

/** The mark that ends a collapsed group's node id; block ids cannot contain it, so it never collides. */
export const GROUP_MARK = '…';

/** A block's group: its id up to the first `_`, `-` or `.` (`load_orders` → `load`); undefined without one. */
export function groupKey(id: string): string | undefined {
  const match = /^([A-Za-z0-9]+)[_.-]/.exec(id);
  return match?.[1];
}

/** Whether the pipeline names its groups (`group:` on some block): then those are its only groups. */
export function namesGroups(model: GraphModel): boolean {
  return model.nodes.some((node) => node.group !== undefined);
}

/** A node's group: its `group:` when the pipeline names groups, else its id prefix. */
function keyOf(node: GraphNode, named: boolean): string | undefined {
  return named ? node.group : groupKey(node.id);
}

/**
 * The groups by key, their members in file order: the named groups (`group:`) when the pipeline
 * has any, whatever their size; else the id prefixes shared by at least two blocks.
 */
export function groupsOf(model: GraphModel): Map<string, string[]> {
  const named = namesGroups(model);
  const groups = new Map<string, string[]>();
  for (const node of model.nodes) {
    const key = keyOf(node, named);
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), node.id]);
  }
  if (!named) for (const [key, members] of groups) if (members.length < 2) groups.delete(key);
  return groups;
}

/**
 * The graph with each collapsed group drawn as one node (`key…`, at its first member's place) and
 * the edges between groups merged; edges inside a group disappear, none is duplicated.
 */
export function collapseGroups(model: GraphModel, collapsed: ReadonlySet<string>): GraphModel {
  if (collapsed.size === 0) return model;
  const groups = groupsOf(model);
  const named = namesGroups(model);
  const nodes: GraphModel['nodes'] = [];
  const target = new Map<number, number>();
  const groupIndex = new Map<string, number>();
  model.nodes.forEach((node, i) => {
    const key = keyOf(node, named);
    const members = key === undefined || !collapsed.has(key) ? undefined : groups.get(key);
    if (key === undefined || members === undefined) {
      target.set(i, nodes.length);
      nodes.push(node);
      return;
    }
    let at = groupIndex.get(key);
    if (at === undefined) {
      at = nodes.length;
      groupIndex.set(key, at);
      nodes.push({ id: `${key}${GROUP_MARK}`, description: `${members.length} blocks: ${members.slice(0, 8).join(', ')}${members.length > 8 ? ', …' : ''}`, members: members.length });
    }
    target.set(i, at);
  });
  const seen = new Set<string>();
  const edges: GraphModel['edges'] = [];
  for (const [a, b] of model.edges) {
    const from = target.get(a);
    const to = target.get(b);
    if (from === undefined || to === undefined || from === to || seen.has(`${from},${to}`)) continue;
    seen.add(`${from},${to}`);
    edges.push([from, to]);
  }
  return { pipelineName: model.pipelineName, nodes, edges };
}
