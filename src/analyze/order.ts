/** Small helpers that keep analysis output deterministic and immutable. */

export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts a copy by the given keys, in order, comparing as text. */
export function sortBy<T>(items: readonly T[], ...keys: ((item: T) => string)[]): T[] {
  return [...items].sort((a, b) => {
    for (const key of keys) {
      const order = compareText(key(a), key(b));
      if (order !== 0) return order;
    }
    return 0;
  });
}

export function uniqueSorted(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(compareText);
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

export const SEVERITY_RANK: Record<string, string> = { high: '0', medium: '1', low: '2' };
