import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, withDb } from '../helpers/databases';
import type { Db } from '../../src/db';
import { qname } from '../../src/sql';
import { appSchemas } from '../helpers/matrix-scope';
import { seedAuthUsers, seedDatabase, type SeedResult } from '../helpers/seed';
import { loadPlainSet, loadSupabaseSet, OWN_APPS, PLAIN_REAL, SUPABASE_REAL } from '../helpers/seed-sets';

/**
 * The seed generator reaches every table: a table it leaves empty makes the security matrix
 * vacuous there (anon reads 0 rows of an empty table whatever the policies say). Each set is
 * loaded as the security e2e files load it and seeded; every table must then have rows (the
 * schema's own inserts count), and a table left empty is listed with Postgres' reason.
 * SEED_SETS=a,b runs some of them.
 */
const ALL = [...PLAIN_REAL, ...SUPABASE_REAL, ...Object.keys(OWN_APPS)];
const SETS = process.env.SEED_SETS?.split(',') ?? ALL;
const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;

/** Postgres' reasons, with the values and names that vary taken out, most frequent first. */
function topReasons(failed: Record<string, string>): string {
  const counts = new Map<string, number>();
  for (const reason of Object.values(failed)) {
    const shape = reason.replace(/"[^"]*"/g, '"…"').slice(0, 90);
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([r, n]) => `${n}x ${r}`)
    .join('; ');
}

/**
 * Foreign keys the seeded rows break, with how many rows: triggers are off while seeding, so
 * Postgres does not check them then, and the target checks them when the rows are migrated.
 */
async function brokenKeys(db: Db, schemas: string[]): Promise<string[]> {
  const keys = await db.query<{ child: string; parent: string; name: string; cols: string[]; refs: string[] }>(
    `select conrelid::regclass::text as child, confrelid::regclass::text as parent, conname as name,
       array(select quote_ident(attname) from unnest(conkey) with ordinality k(a, n) join pg_attribute on attrelid = conrelid and attnum = k.a order by k.n) as cols,
       array(select quote_ident(attname) from unnest(confkey) with ordinality k(a, n) join pg_attribute on attrelid = confrelid and attnum = k.a order by k.n) as refs
     from pg_constraint where contype = 'f' and conparentid = 0 and connamespace::regnamespace::text = any($1) order by 1, 3`,
    [schemas],
  );
  const broken: string[] = [];
  for (const k of keys.rows) {
    const set = k.cols.map((c) => `c.${c} is not null`).join(' and ');
    const match = k.cols.map((c, j) => `p.${k.refs[j]} = c.${c}`).join(' and ');
    const r = await db.query<{ n: number }>(`select count(*)::int as n from ${k.child} c where ${set} and not exists (select from ${k.parent} p where ${match})`);
    if (r.rows[0].n > 0) broken.push(`${k.child} ${k.name}: ${r.rows[0].n} rows`);
  }
  return broken;
}

/** The set loaded and seeded; with the tables that have no row, whoever wrote the others (the schema's own inserts count). */
async function seedSet(name: string, url: string, dir: string): Promise<{ seeded: SeedResult; empty: string[]; broken: string[] }> {
  const native = SUPABASE_REAL.includes(name);
  if (native) await loadSupabaseSet(name, url);
  else loadPlainSet(name, url, dir);
  const schemas = await appSchemas(url);
  return withDb(url, async (db) => {
    if (native) await seedAuthUsers(db);
    const seeded = await seedDatabase(db, schemas);
    const empty: string[] = [];
    for (const t of Object.keys(seeded.rows).filter((k) => seeded.rows[k] === 0)) {
      const [schema, table] = t.split('.');
      const r = await db.query<{ any: boolean }>(`select exists (select from ${qname(schema, table)}) as any`);
      if (!r.rows[0].any) empty.push(t);
    }
    return { seeded, empty: empty.sort(), broken: await brokenKeys(db, schemas) };
  });
}

server('the seed generator fills every table it can', () => {
  for (const name of SETS) {
    it(`${name}: every table gets rows valid for its constraints`, async () => {
      const source = await freshDatabase('server', `seed${name.replace(/-/g, '')}`);
      const dir = mkdtempSync(join(tmpdir(), `sm-seed-${name}-`));
      try {
        const started = Date.now();
        const { seeded, empty, broken } = await seedSet(name, source.url, dir);
        const total = Object.keys(seeded.rows).length;
        const failed = empty.filter((t) => t in seeded.failed);
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        console.log(`seed ${name}: ${total - empty.length}/${total} tables seeded, ${empty.length} empty, ${failed.length} failed (${secs} s); ${topReasons(Object.fromEntries(failed.map((t) => [t, seeded.failed[t]])))}`);
        expect(empty.map((t) => `${t}: ${seeded.failed[t] ?? 'no row, no error'}`)).toEqual([]);
        // The rows are valid for the source's own constraints: the target must accept them.
        expect(broken).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await source.drop();
      }
    }, 900_000);
  }
});
