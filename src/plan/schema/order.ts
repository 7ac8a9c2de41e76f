/**
 * Deterministic topological order: items come after what they depend on, ties broken by key.
 * Dependencies on keys outside the set are ignored; a cycle is broken at the smallest key.
 */
export function topoSort<T>(items: T[], key: (t: T) => string, deps: (t: T) => string[]): T[] {
  const byKey = new Map(items.map((i) => [key(i), i]));
  const remaining = new Map(items.map((i) => [key(i), new Set(deps(i).filter((d) => byKey.has(d) && d !== key(i)))]));
  const out: T[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.entries()].filter(([, d]) => d.size === 0).map(([k]) => k).sort();
    const next = ready.length > 0 ? ready : [[...remaining.keys()].sort()[0]];
    for (const k of next) {
      out.push(byKey.get(k) as T);
      remaining.delete(k);
      for (const d of remaining.values()) d.delete(k);
    }
  }
  return out;
}
