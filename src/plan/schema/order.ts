/**
 * Deterministic topological order: items come after what they depend on, ties broken by key.
 * Dependencies on keys outside the set are ignored; a cycle is broken at the smallest key.
 */
export function topoSort<T>(items: T[], key: (t: T) => string, deps: (t: T) => string[]): T[] {
  const byKey = new Map(items.map((i) => [key(i), i]));
  const remaining = new Map(items.map((i) => [key(i), new Set(deps(i).filter((d) => byKey.has(d) && d !== key(i)))]));
  const out: T[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.entries()]
      .filter(([, d]) => d.size === 0)
      .map(([k]) => k)
      .sort();
    const next = ready.length > 0 ? ready : [[...remaining.keys()].sort()[0]];
    for (const k of next) {
      out.push(byKey.get(k) as T);
      remaining.delete(k);
      for (const d of remaining.values()) d.delete(k);
    }
  }
  return out;
}

/**
 * Kahn's order with a priority among the ready items: the lowest rank first, then the key, so
 * objects come in a fixed order of kinds wherever their dependencies leave a choice, like pg_dump.
 * Dependencies on keys outside the set are ignored; a cycle is broken at its lowest ready-ranked item.
 */
export function rankedTopoSort<T>(
  items: T[],
  key: (t: T) => string,
  rank: (t: T) => number,
  deps: (t: T) => string[],
): T[] {
  const byKey = new Map(items.map((i) => [key(i), i]));
  const before = (a: string, b: string): number => {
    const r = rank(byKey.get(a) as T) - rank(byKey.get(b) as T);
    return r !== 0 ? r : a < b ? -1 : a > b ? 1 : 0;
  };
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const [k, item] of byKey) {
    const needs = new Set(deps(item).filter((d) => byKey.has(d) && d !== k));
    waiting.set(k, needs.size);
    for (const d of needs) dependents.set(d, [...(dependents.get(d) ?? []), k]);
  }
  const ready = [...waiting]
    .filter(([, n]) => n === 0)
    .map(([k]) => k)
    .sort(before);
  const done = new Set<string>();
  const out: T[] = [];
  while (done.size < byKey.size) {
    if (ready.length === 0) ready.push([...byKey.keys()].filter((k) => !done.has(k)).sort(before)[0]);
    const k = ready.shift() as string;
    if (done.has(k)) continue;
    done.add(k);
    out.push(byKey.get(k) as T);
    for (const d of dependents.get(k) ?? []) {
      const n = (waiting.get(d) as number) - 1;
      waiting.set(d, n);
      if (n === 0 && !done.has(d)) insertSorted(ready, d, before);
    }
  }
  return out;
}

function insertSorted(list: string[], value: string, before: (a: string, b: string) => number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid], value) < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}
