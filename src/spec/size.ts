const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** Bytes, or a number with a binary unit. */
export const SIZE = /^([0-9]+(?:\.[0-9]+)?) ?(B|KB|MB|GB|TB)?$/;

/**
 * `10MB` -> 10485760; a number, or a string without a unit, is bytes already. Units are binary,
 * as Postgres and Supabase's dashboard count them.
 */
export function parseSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = SIZE.exec(value);
  if (!m) throw new Error(`internal: unchecked size ${value}`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 'B']);
}
