import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/types';
import { ident, qname } from '../../sql';
import { OWN_MARK } from './statements';
import type { ValueSource } from './types';

/**
 * Sampled keys and claims are real people's data: they live in `<state>/performance/samples.json`
 * (git-ignored by the folder's own .gitignore), never in the spec, a log line or a comment, and
 * every run reuses them so two runs compare the same rows.
 */
export const samplesDir = (specDir: string, stateDir: string): string => join(specDir, stateDir, 'performance');

export type Samples = Record<string, string | null>;

export const sampleKey = (v: ValueSource): string =>
  'constant' in v ? `constant:${v.constant}` : `${v.pick}:${v.column}`;

export function readSamples(dir: string): Samples {
  const file = join(dir, 'samples.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Samples) : {};
}

export function writeSamples(dir: string, samples: Samples): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.gitignore'), '# sampled values are real data: never commit them\n*\n');
  const sorted = Object.fromEntries(
    Object.keys(samples)
      .sort()
      .map((k) => [k, samples[k]]),
  );
  writeFileSync(join(dir, 'samples.json'), `${JSON.stringify(sorted, null, 2)}\n`, { mode: 0o600 });
}

function pickSql(column: string, pick: 'most_rows' | 'any'): string {
  const parts = column.split('.');
  const col = ident(parts[2]);
  const from = `${qname(parts[0], parts[1])} where ${col} is not null`;
  return pick === 'most_rows'
    ? `select ${col}::text as v from ${from} group by ${col} order by count(*) desc, ${col} limit 1`
    : `select ${col}::text as v from ${from} order by ${col} limit 1`;
}

/** Fills in the values not sampled yet, from the source; returns the complete set. */
export async function sampleMissing(db: Db, sources: ValueSource[], known: Samples): Promise<Samples> {
  const out: Samples = { ...known };
  for (const s of sources) {
    const key = sampleKey(s);
    if (key in out) continue;
    if ('constant' in s) {
      out[key] = s.constant;
      continue;
    }
    const r = await db.query<{ v: string }>(`${OWN_MARK} ${pickSql(s.column, s.pick)}`);
    out[key] = r.rows[0]?.v ?? null;
  }
  return out;
}
