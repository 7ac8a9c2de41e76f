import type { Db } from '../../src/db';
import { literal } from '../../src/sql';

/** One function that can be called here: its signature and a call with sampled arguments. */
export interface FunctionCall {
  signature: string;
  /** The function's schema and the call under it; `callSql` writes it under another (a renamed schema). */
  schema: string;
  sql: string;
}

/** Who calls: a role and, as PostgREST sets them, the request's JWT claims. Default: the connecting role. */
export interface Caller {
  role: string;
  claims: Record<string, unknown>;
}

/** The call with its schema as the target names it (the spec may rename a source schema). */
export function callSql(call: FunctionCall, renames: Record<string, string>): string {
  const to = renames[call.schema];
  if (to === undefined) return call.sql;
  return call.sql.replace(` from ${quoted(call.schema)}.`, ` from ${quoted(to)}.`);
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** What a call returned: its rows as text, or the SQLSTATE it failed with. */
export type CallResult = { rows: string } | { error: string };

interface FunctionRow {
  signature: string;
  schema: string;
  name: string;
  args: string[];
  required: number;
}

const FUNCTIONS = `select p.oid::regprocedure::text as signature, n.nspname as schema, p.proname as name,
    coalesce(array(select format_type(t, null) from unnest(p.proargtypes::oid[]) t), '{}') as args,
    p.pronargs - p.pronargdefaults as required
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = any($1) and p.prokind = 'f'
    and p.prorettype not in ('trigger'::regtype, 'event_trigger'::regtype)
    and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
    and not exists (select 1 from unnest(p.proargtypes::oid[]) t join pg_type ty on ty.oid = t where ty.typtype = 'p')
  order by 1`;

const COLUMNS = `select format_type(a.atttypid, a.atttypmod) as type, format_type(a.atttypid, null) as base,
    quote_ident(n.nspname) || '.' || quote_ident(c.relname) as rel, quote_ident(a.attname) as col
  from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped and n.nspname = any($1)
  order by 3, 4`;

/** A value of each column type, taken from a seeded row (the first non-null value found). */
async function sampledValues(db: Db, schemas: string[]): Promise<Map<string, string>> {
  const columns = await db.query<{ type: string; base: string; rel: string; col: string }>(COLUMNS, [schemas]);
  const values = new Map<string, string>();
  for (const c of columns.rows) {
    if (values.has(c.base)) continue;
    const r = await db.query<{ v: string }>(`select ${c.col}::text as v from ${c.rel} where ${c.col} is not null limit 1`);
    if (r.rows.length > 0) values.set(c.base, r.rows[0].v);
  }
  return values;
}

/** The functions of `schemas` that can be called with no argument or with arguments from seeded rows. */
export async function callableFunctions(db: Db, schemas: string[]): Promise<{ calls: FunctionCall[]; skipped: string[] }> {
  const values = await sampledValues(db, schemas);
  const functions = await db.query<FunctionRow>(FUNCTIONS, [schemas]);
  const calls: FunctionCall[] = [];
  const skipped: string[] = [];
  for (const f of functions.rows) {
    const args = f.args.slice(0, f.required);
    if (args.some((t) => !values.has(t))) {
      skipped.push(f.signature);
      continue;
    }
    const list = args.map((t) => `${literal(values.get(t) ?? '')}::${t}`).join(', ');
    const target = `${quoted(f.schema)}.${quoted(f.name)}(${list})`;
    // Rows as text, sorted, so that a set-returning function's order does not count.
    calls.push({ signature: f.signature, schema: f.schema, sql: `select coalesce(array_agg(r::text order by r::text), '{}')::text as rows from ${target} as r` });
  }
  return { calls, skipped };
}

/**
 * Calls each function once, in one transaction rolled back at the end, each in its own savepoint;
 * as `caller` when given (a signed-in user, as PostgREST runs a request), under renamed schemas.
 */
export async function callAll(
  db: Db,
  calls: FunctionCall[],
  opts: { caller?: Caller; renames?: Record<string, string> } = {},
): Promise<Map<string, CallResult>> {
  const results = new Map<string, CallResult>();
  await db.exec("begin; set local statement_timeout = '5s'");
  try {
    if (opts.caller) {
      await db.exec(`set local role ${quoted(opts.caller.role)}`);
      await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(opts.caller.claims)]);
    }
    for (const call of calls) results.set(call.signature, await callOne(db, { ...call, sql: callSql(call, opts.renames ?? {}) }));
  } finally {
    await db.exec('rollback');
  }
  return results;
}

async function callOne(db: Db, call: FunctionCall): Promise<CallResult> {
  await db.exec('savepoint fn_call');
  try {
    const r = await db.query<{ rows: string }>(call.sql);
    await db.exec('release savepoint fn_call');
    return { rows: r.rows[0]?.rows ?? '' };
  } catch (err) {
    await db.exec('rollback to savepoint fn_call');
    return { error: (err as { code?: string }).code ?? String(err) };
  }
}
