/**
 * Runs fn over items with a budget of `capacity` slots, where an item takes `weight(item)` of a
 * slot (between 1/8 and 1): large files run `capacity` at a time, small ones (whose time is
 * round trips, not bytes) up to eight times as many.
 */
export async function runWeighted<T>(
  items: readonly T[],
  weight: (item: T) => number,
  capacity: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let used = 0;
  for (const item of items) {
    const w = Math.min(1, Math.max(1 / 8, weight(item)));
    while (running.size > 0 && used + w > capacity) await Promise.race(running);
    used += w;
    const task: Promise<void> = fn(item).finally(() => {
      used -= w;
      running.delete(task);
    });
    running.add(task);
  }
  await Promise.all(running);
}

/** A file's share of a slot: its size against 1 MiB. */
export const sizeWeight = (size: number): number => size / (1024 * 1024);
