/**
 * Orders tables so referenced ones load before the tables pointing at them. Cycles do not stop
 * the order: foreign keys are created after the data, so any member of a cycle may go first
 * (the smallest name, to stay deterministic).
 */
export function loadOrder(names: string[], dependsOn: (name: string) => string[]): string[] {
  const pending = new Set(names);
  const waitingOn = new Map<string, Set<string>>();
  for (const name of names) {
    waitingOn.set(name, new Set(dependsOn(name).filter((d) => d !== name && pending.has(d))));
  }
  const order: string[] = [];
  while (pending.size > 0) {
    const sorted = [...pending].sort();
    const next = sorted.find((n) => [...waitingOn.get(n)!].every((d) => !pending.has(d))) ?? sorted[0];
    pending.delete(next);
    order.push(next);
  }
  return order;
}
