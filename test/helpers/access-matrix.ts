import type { Db } from '../../src/db';
import { ident } from '../../src/sql';
import { SEED_USERS } from './seed';

export interface MatrixActor {
  name: string;
  role: 'anon' | 'authenticated';
  claims: Record<string, unknown>;
}

export const STRANGER_ID = '20000000-0000-4000-8000-0000000000ff';

/** anon, each seeded user, and a signed-in stranger, as PostgREST would set them. */
export const MATRIX_ACTORS: MatrixActor[] = [
  { name: 'anon', role: 'anon', claims: { role: 'anon' } },
  ...SEED_USERS.map((sub, i): MatrixActor => ({ name: `user${i + 1}`, role: 'authenticated', claims: { sub, role: 'authenticated', email: `user${i + 1}@example.com` } })),
  { name: 'stranger', role: 'authenticated', claims: { sub: STRANGER_ID, role: 'authenticated' } },
];

/** Rows visible, updatable and deletable per table and actor (0 when refused), or the error code. */
export type AccessMatrix = Record<string, number | string>;

async function firstColumn(db: Db, table: string): Promise<string | null> {
  const { rows } = await db.query<{ attname: string }>(
    `select attname from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = '' and attidentity <> 'a' order by attnum limit 1`,
    [table],
  );
  return rows[0]?.attname ?? null;
}

/** One cell, in a transaction that is rolled back, with the role and claims set locally. */
async function cell(db: Db, actor: MatrixActor, sql: string): Promise<number | string> {
  await db.exec('begin');
  try {
    await db.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [actor.role, JSON.stringify(actor.claims)]);
    const r = await db.query<{ n: string }>(sql);
    return sql.startsWith('select') ? Number(r.rows[0].n) : r.affectedRows;
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    // No privilege and no row through RLS are the same for the rows an actor reaches.
    return code === '42501' ? 0 : `error ${code}`;
  } finally {
    await db.exec('rollback');
  }
}

/** `schema.table` (quoted-safe names) -> the access every actor has, keyed `table actor operation`. */
export async function accessMatrix(db: Db, tables: string[], actors: MatrixActor[] = MATRIX_ACTORS): Promise<AccessMatrix> {
  const out: AccessMatrix = {};
  for (const table of [...tables].sort()) {
    const [schema, name] = table.split('.');
    const t = `${ident(schema)}.${ident(name)}`;
    const col = await firstColumn(db, t);
    for (const actor of actors) {
      out[`${table} ${actor.name} select`] = await cell(db, actor, `select count(*) as n from ${t}`);
      if (col !== null) out[`${table} ${actor.name} update`] = await cell(db, actor, `update ${t} set ${ident(col)} = ${ident(col)}`);
      out[`${table} ${actor.name} delete`] = await cell(db, actor, `delete from ${t}`);
    }
  }
  return out;
}

/** Rows anon can read in all, and the cells where anon writes anything. */
export function anonSummary(m: AccessMatrix): { reads: number; writes: string[] } {
  const anon = Object.entries(m).filter(([k]) => k.split(' ')[1] === 'anon');
  const reads = anon.filter(([k, v]) => k.endsWith(' select') && typeof v === 'number').reduce((n, [, v]) => n + (v as number), 0);
  const writes = anon.filter(([k, v]) => !k.endsWith(' select') && typeof v === 'number' && v > 0).map(([k]) => k);
  return { reads, writes };
}
