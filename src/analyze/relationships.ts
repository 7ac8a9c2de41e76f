import { qualified, type Snapshot } from '../introspect/snapshot';
import { compareText, sortBy, uniqueSorted } from './order';
import type { ForeignKeyEdge, Relationships } from './types';

export function foreignKeyEdges(snapshot: Snapshot): ForeignKeyEdge[] {
  const edges = snapshot.tables.flatMap((table) =>
    table.constraints
      .filter((c) => c.kind === 'f' && c.refTable !== null)
      .map((c) => ({
        from: qualified(table),
        to: c.refTable as string,
        constraint: c.name,
        columns: [...c.columns],
        refColumns: [...c.refColumns],
      })),
  );
  return sortBy(
    edges,
    (e) => e.from,
    (e) => e.to,
    (e) => e.constraint,
  );
}

/** Tarjan's algorithm over the snapshot tables; components come out in reverse topological order. */
function stronglyConnected(nodes: string[], parentsOf: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    onStack.add(node);
    for (const next of parentsOf.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component.sort(compareText));
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return components;
}

/**
 * Orders the tables of one cycle so that as few foreign keys as possible point forward:
 * take a table whose parents are all placed; when none is, the one with fewest unplaced parents.
 */
function orderWithinCycle(component: string[], parentsOf: Map<string, string[]>): string[] {
  const members = new Set(component);
  const placed = new Set<string>();
  const unplacedParents = (t: string): number =>
    (parentsOf.get(t) ?? []).filter((p) => members.has(p) && p !== t && !placed.has(p)).length;
  while (placed.size < component.length) {
    const remaining = component.filter((t) => !placed.has(t));
    const next = remaining.reduce((best, t) => (unplacedParents(t) < unplacedParents(best) ? t : best));
    placed.add(next);
  }
  return [...placed];
}

export function analyzeRelationships(snapshot: Snapshot): Relationships {
  const edges = foreignKeyEdges(snapshot);
  const tables = uniqueSorted(snapshot.tables.map(qualified));
  const known = new Set(tables);
  const parentsOf = new Map<string, string[]>(tables.map((t) => [t, []]));
  for (const e of edges) if (known.has(e.to)) parentsOf.get(e.from)?.push(e.to);
  for (const parents of parentsOf.values()) parents.sort(compareText);

  // Edges point child -> parent, so Tarjan emits parents' components first: a valid load order.
  const components = stronglyConnected(tables, parentsOf);
  const loadOrder = components.flatMap((c) => orderWithinCycle(c, parentsOf));
  const position = new Map(loadOrder.map((t, i) => [t, i]));
  const related = new Set(edges.flatMap((e) => [e.from, e.to]));

  return {
    edges,
    isolated: tables.filter((t) => !related.has(t)),
    // A table referencing itself (a tree) loads in one pass with its key deferred: not a cycle.
    cycles: sortBy(
      components.filter((c) => c.length > 1),
      (c) => c.join(','),
    ),
    loadOrder,
    deferredEdges: edges.filter(
      (e) => known.has(e.to) && (position.get(e.to) as number) >= (position.get(e.from) as number),
    ),
  };
}
