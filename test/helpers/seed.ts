import { introspect } from '../../src/introspect';
import type { Column, Snapshot, Table } from '../../src/introspect/snapshot';
import type { Db } from '../../src/db';
import { ident, literal, qname } from '../../src/sql';

/** The users every seeded database has, in auth.users: owner columns point at them. */
export const SEED_USERS = ['10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000003'];
const ROWS = 3;

export interface SeedResult {
  /** `schema.table` -> rows written. */
  rows: Record<string, number>;
  /** Tables where no row satisfied the checks, with Postgres' reason. */
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
  {
    await db.query(`insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data) values ($1, 'authenticated', 'authenticated', $2, '{}', '{}') on conflict do nothing`, [id, `user${i + 1}@example.com`]);
  }
}

const NUMERIC = /^(smallint|integer|bigint|numeric|real|double precision|int2|int4|int8|float4|float8|money)$/;

/** A literal of the column's type for row i, or null to leave the default. */
function valueFor(snapshot: Snapshot, t: Table, c: Column, i: number, short = false): string | null {
  if (c.generated !== null || c.identity === 'a') return null;
  if (c.default !== null && !c.notNull) return null;
  if (c.default !== null && c.identity === null && !/nextval/.test(c.default)) return null;
  if (c.isArray) return "'{}'";
  // A domain takes a value of its base type (its checks permitting: positive numbers are).
  const domain = snapshot.domains.find((d) => `${d.schema}.${d.name}` === `${c.typeSchema}.${c.typeName}`);
  const base = (domain?.baseType ?? c.type).replace(/\(.*\)/, '').replace(/\[\]$/, '');
  const en = snapshot.enums.find((e) => `${e.schema}.${e.name}` === `${c.typeSchema}.${c.typeName}`);
  if (en) return `${literal(en.values[i % en.values.length])}::${c.type}`;
  if (base === 'uuid') return literal(SEED_USERS[i % SEED_USERS.length]);
  if (NUMERIC.test(base)) return String(i + 1);
  if (base === 'boolean') return i % 2 === 0 ? 'true' : 'false';
  if (/^(timestamp|date)/.test(base)) return `now() + interval '${i} day'`;
  if (base.startsWith('time')) return `'12:0${i}:00'`;
  if (base === 'interval') return "'1 day'";
  if (base === 'jsonb' || base === 'json') return "'{}'";
  if (base === 'bytea') return "'\\x00'";
  if (base === 'inet' || base === 'cidr') return `'10.0.0.${i + 1}'`;
  if (/^(text|character|citext|name)/.test(base) || c.typeName === 'citext') return literal(short ? `ab${i + 1}` : `${t.name.slice(0, 3)}${i + 1}`);
  return null;
}

/**
 * A table's foreign keys, with those of the partitioned tables it is a partition of: a key
 * declared on the parent binds each partition, and with triggers off nothing else enforces it.
 */
function foreignKeys(snapshot: Snapshot, t: Table): Table['constraints'] {
  const own = t.constraints.filter((c) => c.kind === 'f' && c.refTable !== null);
  const parent = t.partitionOf ? snapshot.tables.find((x) => `${x.schema}.${x.name}` === t.partitionOf) : undefined;
  if (!parent) return own;
  const inherited = foreignKeys(snapshot, parent).filter((p) => !own.some((c) => c.columns.join() === p.columns.join()));
  return [...own, ...inherited];
}

/** Parents before children; cycles are broken where they are found. */
function fkOrder(snapshot: Snapshot, tables: Table[]): Table[] {
  const key = (t: Table) => `${t.schema}.${t.name}`;
  const left = new Map(tables.map((t) => [key(t), t]));
  const out: Table[] = [];
  for (let guard = 0; left.size > 0 && guard < tables.length + 1; guard++) {
    // A key to a partitioned table waits for its partitions, which hold its rows.
    const pending = (ref: string) => left.has(ref) || [...left.values()].some((p) => p.partitionOf === ref);
    const ready = [...left.values()].filter((t) => foreignKeys(snapshot, t).every((c) => c.refTable === key(t) || !pending(c.refTable ?? '')));
    for (const t of ready.length > 0 ? ready : [[...left.values()][0]]) {
      out.push(t);
      left.delete(key(t));
    }
  }
  return out;
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
    await seedTables(tx, snapshot, result);
  });
  return result;
}

async function seedTables(db: Db, snapshot: Snapshot, result: SeedResult): Promise<void> {
  {
    for (const t of fkOrder(snapshot, snapshot.tables.filter((x) => x.kind === 'r'))) {
      const key = `${t.schema}.${t.name}`;
      result.rows[key] = 0;
      // A second try with three-letter texts meets the usual length checks (currency codes).
      for (let attempt = 0; attempt < ROWS * 2; attempt++) {
        const i = attempt % ROWS;
        if (attempt === ROWS && result.rows[key] > 0) break;
        const values = new Map<string, string>();
        for (const c of t.columns) {
          const v = valueFor(snapshot, t, c, i, attempt >= ROWS);
          if (v !== null) values.set(c.name, v);
        }
        for (const fk of foreignKeys(snapshot, t)) {
          const [rs, rn] = (fk.refTable as string).split('.');
          const cols = fk.refColumns.map((c) => `p.${ident(c)}`).join(', ');
          fk.columns.forEach((col, j) => values.set(col, `(select ${cols.split(', ')[j]} from ${qname(rs, rn)} p order by 1 offset ${i} limit 1)`));
        }
        const cols = [...values.keys()];
        const sql = `insert into ${qname(t.schema, t.name)} (${cols.map((c) => ident(c)).join(', ')}) values (${cols.map((c) => values.get(c)).join(', ')}) on conflict do nothing`;
        try {
          await db.exec('savepoint seed');
          const r = await db.query(sql);
          result.rows[key] += r.affectedRows;
          await db.exec('release savepoint seed');
        } catch (err) {
          await db.exec('rollback to savepoint seed');
          result.failed[key] = (err as Error).message;
        }
      }
      if (result.rows[key] > 0) delete result.failed[key];
    }
  }
}
