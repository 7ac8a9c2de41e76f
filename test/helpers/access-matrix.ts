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

const codeOf = (err: unknown): string => (err as { code?: string }).code ?? '';

async function asActor(db: Db, actor: MatrixActor): Promise<void> {
  await db.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [actor.role, JSON.stringify(actor.claims)]);
}

/** One cell, in a transaction that is rolled back, with the role and claims set locally. */
export async function cell(db: Db, actor: MatrixActor, sql: string): Promise<number | string> {
  await db.exec('begin');
  try {
    await asActor(db, actor);
    const r = await db.query<{ n: string }>(sql);
    return sql.startsWith('select') ? Number(r.rows[0].n) : r.affectedRows;
  } catch (err) {
    // No privilege and no row through RLS are the same for the rows an actor reaches.
    return codeOf(err) === '42501' ? 0 : `error ${codeOf(err)}`;
  } finally {
    await db.exec('rollback');
  }
}

async function insertableColumns(db: Db, table: string): Promise<string[]> {
  const { rows } = await db.query<{ attname: string }>(
    `select attname from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`,
    [table],
  );
  return rows.map((r) => ident(r.attname));
}

/**
 * How many of the table's rows the actor could insert again, each row read (before the role is
 * set) as the template of one INSERT in its own savepoint. Postgres checks privileges, then the
 * policies' WITH CHECK, and only then NOT NULL, unique and foreign keys: refused (42501) is
 * "cannot insert that row", an integrity error (23xxx, the copy collides) means it got through.
 * A view passes the (quoted) columns it can write; a table's are read from the catalog.
 */
export async function insertCell(db: Db, actor: MatrixActor, table: string, columns?: string[]): Promise<number | string> {
  const cols = columns ?? (await insertableColumns(db, table));
  // A table without columns (or only generated ones) takes a row of defaults: the same privilege.
  const insert = cols.length === 0 ? `insert into ${table} default values` : `insert into ${table} (${cols.join(', ')}) overriding system value select ${cols.join(', ')} from jsonb_populate_record(null::${table}, $1::jsonb)`;
  await db.exec('begin');
  try {
    const templates = (await db.query<{ r: unknown }>(`select to_jsonb(x) as r from ${table} x`)).rows;
    await asActor(db, actor);
    let n = 0;
    for (const { r } of templates) {
      await db.exec('savepoint cell');
      try {
        await db.query(insert, cols.length === 0 ? [] : [JSON.stringify(r)]);
        n += 1;
      } catch (err) {
        if (codeOf(err).startsWith('23')) n += 1;
        else if (codeOf(err) !== '42501') return `error ${codeOf(err)}`;
      }
      await db.exec('rollback to savepoint cell');
    }
    return n;
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
      out[`${table} ${actor.name} insert`] = await insertCell(db, actor, t);
      if (col !== null) out[`${table} ${actor.name} update`] = await cell(db, actor, `update ${t} set ${ident(col)} = ${ident(col)}`);
      out[`${table} ${actor.name} delete`] = await cell(db, actor, `delete from ${t}`);
    }
  }
  return out;
}

/**
 * The signed-in users as Supabase Auth would issue their tokens: each auth.users row's
 * raw_app_meta_data becomes the JWT's app_metadata (where role and tenant claims live).
 */
export async function authUserActors(db: Db): Promise<MatrixActor[]> {
  const { rows } = await db.query<{ id: string; email: string | null; meta: Record<string, unknown> }>(
    `select id::text as id, email::text as email, coalesce(raw_app_meta_data, '{}'::jsonb) as meta from auth.users order by id`,
  );
  const users = rows.map((r): MatrixActor => ({ name: r.email ?? r.id, role: 'authenticated', claims: { sub: r.id, role: 'authenticated', email: r.email, app_metadata: r.meta } }));
  return [MATRIX_ACTORS[0], ...users, MATRIX_ACTORS[MATRIX_ACTORS.length - 1]];
}

/** Rows anon can read in all, and the cells where anon writes anything. */
export function anonSummary(m: AccessMatrix): { reads: number; writes: string[] } {
  const anon = Object.entries(m).filter(([k]) => k.split(' ')[1] === 'anon');
  const reads = anon.filter(([k, v]) => k.endsWith(' select') && typeof v === 'number').reduce((n, [, v]) => n + (v as number), 0);
  const writes = anon.filter(([k, v]) => !k.endsWith(' select') && typeof v === 'number' && v > 0).map(([k]) => k);
  return { reads, writes };
}
