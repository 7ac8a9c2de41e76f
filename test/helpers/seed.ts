import { introspect } from '../../src/introspect';
import type { Snapshot, Table } from '../../src/introspect/snapshot';
import type { Db } from '../../src/db';
import { ident, qname } from '../../src/sql';
import { CASTABLE_FUNCTION, type Row } from './seed-checks';
import { fkOrder, foreignKeys, keyValues } from './seed-order';
import { repair } from './seed-repair';
import { columnValue, SEED_USERS } from './seed-values';

export { SEED_USERS };
const ROWS = 3;
/** Repairs of one row (a value for a NOT NULL column, values a check accepts) before giving up. */
const REPAIRS = 8;

export interface SeedResult {
  /** `schema.table` -> rows written. */
  rows: Record<string, number>;
  /** Tables left without rows (none satisfied the checks), with Postgres' reason. */
  failed: Record<string, string>;
}

/** The auth.users rows of SEED_USERS, for the source and the target alike. */
export async function seedAuthUsers(db: Db): Promise<void> {
  // Sign-up triggers (a profile row per new user) stay off: the seeder writes those rows itself.
  await db.transaction(async (tx) => {
    await tx.exec('set local session_replication_role = replica');
    for (const [i, id] of SEED_USERS.entries()) await insertUser(tx, i, id);
  });
}

async function insertUser(db: Db, i: number, id: string): Promise<void> {
  await db.query(`insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data) values ($1, 'authenticated', 'authenticated', $2, '{}', '{}') on conflict do nothing`, [id, `user${i + 1}@example.com`]);
}

/**
 * A few rows per table that satisfy its types, checks and foreign keys: foreign key columns take
 * values from the parent rows written before them, uuid columns the ids of SEED_USERS. Triggers
 * are off (session_replication_role) so that sign-up hooks do not write rows of their own.
 */
export async function seedDatabase(db: Db, schemas: string[]): Promise<SeedResult> {
  const snapshot = await introspect(db, { includeSchemas: schemas });
  const result: SeedResult = { rows: {}, failed: {} };
  await db.transaction(async (tx) => {
    await tx.exec('set local session_replication_role = replica');
    await tx.exec(CASTABLE_FUNCTION);
    for (const t of fkOrder(snapshot, snapshot.tables.filter((x) => x.kind === 'r'))) await seedTable(tx, snapshot, t, result);
  });
  return result;
}

async function seedTable(db: Db, snapshot: Snapshot, t: Table, result: SeedResult): Promise<void> {
  const key = `${t.schema}.${t.name}`;
  result.rows[key] = 0;
  for (let i = 0; i < ROWS; i++) {
    const outcome = await writeRow(db, snapshot, t, i);
    if (typeof outcome === 'number') result.rows[key] += outcome;
    else result.failed[key] = outcome;
  }
  // Rows the schema wrote itself (a single-row settings table) leave the table seeded all the same.
  if (result.rows[key] > 0 || (await hasRows(db, t))) delete result.failed[key];
}

async function hasRows(db: Db, t: Table): Promise<boolean> {
  const r = await db.query<{ any: boolean }>(`select exists (select from ${qname(t.schema, t.name)}) as any`);
  return r.rows[0].any;
}

/**
 * The JWT claims PostgREST sets for a request of user i (as one JSON and one setting per claim,
 * the older form): defaults and functions such as `current_setting('request.jwt.claim.username')`
 * or auth.uid() see a signed-in user, as they do when the application writes its rows.
 */
async function setClaims(db: Db, i: number): Promise<void> {
  const n = i % SEED_USERS.length;
  const claims: Record<string, string> = { sub: SEED_USERS[n], role: 'authenticated', aud: 'authenticated', email: `user${n + 1}@example.com`, username: `user${n + 1}` };
  const names = ['request.jwt.claims', ...Object.keys(claims).map((k) => `request.jwt.claim.${k}`)];
  const values = [JSON.stringify(claims), ...Object.values(claims)];
  await db.query(`select set_config(name, value, true) from unnest($1::text[], $2::text[]) as s(name, value)`, [names, values]);
}

/** Row i of a table: its columns' values, each foreign key taking a parent's row. */
function firstRow(snapshot: Snapshot, t: Table, i: number): Row {
  const row: Row = new Map();
  for (const c of t.columns) {
    const v = columnValue(snapshot, t.name, c, i);
    if (v !== null) row.set(c.name, v);
  }
  for (const [col, v] of keyValues(snapshot, t, i)) row.set(col, v);
  return row;
}

/** Rows written (1), or the reason none could be. */
async function writeRow(db: Db, snapshot: Snapshot, t: Table, i: number): Promise<number | string> {
  await setClaims(db, i);
  const row = firstRow(snapshot, t, i);
  const keyColumns = new Set(foreignKeys(snapshot, t).flatMap((fk) => fk.columns));
  const seen = new Set<string>();
  for (let attempt = 0; attempt <= REPAIRS; attempt++) {
    const err = await tryInsert(db, t, row);
    if (err === null) return 1;
    if (seen.has(err.message) || !(await repair({ db, snapshot, table: t, row, keyColumns, i }, err))) return err.message;
    seen.add(err.message);
  }
  return 'too many repairs';
}

async function tryInsert(db: Db, t: Table, row: Row): Promise<Error | null> {
  const cols = [...row.keys()];
  const target = qname(t.schema, t.name);
  const sql = cols.length === 0 ? `insert into ${target} default values` : `insert into ${target} (${cols.map(ident).join(', ')}) values (${cols.map((c) => row.get(c)).join(', ')})`;
  await db.exec('savepoint seed');
  try {
    await db.query(sql);
    await db.exec('release savepoint seed');
    return null;
  } catch (err) {
    await db.exec('rollback to savepoint seed');
    return err as Error;
  }
}
