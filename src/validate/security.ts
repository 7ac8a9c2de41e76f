import type { Db } from '../db';
import type { Snapshot } from '../introspect/snapshot';
import { securityContext } from '../plan/security';
import type { CoveredTable } from '../plan/security/context';
import { insertColumns, settableColumns } from '../plan/security/actors';
import { OPERATIONS } from '../plan/security/policies';
import type { Operation, Spec } from '../spec/types';
import { ident, literal, qname } from '../sql';
import { lintDatabase, type LintFinding } from './lints';
import { classifyLints, failingLints, type ClassifiedLint } from './lint-origin';
import { actorsFor, expectedAccess, insertedRow, type Actor, type ActorName, type RowFacts } from './security-expect';
import { exposedSchemas } from '../spec/exposed';

export interface MatrixCell {
  table: string;
  actor: ActorName;
  operation: Operation;
  expected: boolean;
  /** null when the probe failed for a reason other than access (then `error` says why). */
  actual: boolean | null;
  /** Why Postgres refused or failed, e.g. a trigger writing to a table the actor may not touch. */
  error: string | null;
}

export interface SecurityMatrix {
  /** Every cell as the spec says, and no advisor lint at ERROR or WARN that the plan caused. */
  ok: boolean;
  cells: MatrixCell[];
  /** Tables the matrix could not probe (no rows to act on). */
  unprobed: { table: string; reason: string }[];
  /** The advisor lints over the target catalog, each with where it comes from. */
  lints: ClassifiedLint[];
}

type Probe = { ctid: string; facts: RowFacts };

/**
 * Runs every table x actor x operation against the target the way PostgREST does (role and
 * request.jwt.claims set locally in a transaction that is rolled back) and compares each outcome
 * with what the spec allows. Acts on a real row of each table; nothing is left changed.
 */
export async function securityMatrix(
  db: Db,
  snapshot: Snapshot,
  spec: Spec,
  sourceLints: LintFinding[] = [],
): Promise<SecurityMatrix> {
  const ctx = securityContext(snapshot, spec);
  const cells: MatrixCell[] = [];
  const unprobed: SecurityMatrix['unprobed'] = [];
  for (const covered of ctx.tables) {
    if (covered.carried) {
      unprobed.push({
        table: covered.key,
        reason: 'its policies are carried from the source; validate compares its access with the source',
      });
      continue;
    }
    const probe = await probeRow(db, covered);
    if (!probe) {
      unprobed.push({ table: covered.key, reason: 'no rows to act on' });
      continue;
    }
    const actors = actorsFor(covered, probe.facts);
    await readSqlFacts(db, covered, probe, actors);
    for (const actor of actors) {
      for (const op of OPERATIONS) {
        const expected = expectedAccess(covered, op, actor, probe.facts);
        const { actual, error } = await attempt(db, covered, probe, actor, op);
        cells.push({ table: covered.key, actor: actor.name, operation: op, expected, actual, error });
      }
    }
  }
  const lints = classifyLints(await lintDatabase(db, exposedSchemas(spec)), sourceLints, snapshot, spec);
  const ok = cells.every((c) => c.actual === c.expected) && failingLints(lints).length === 0;
  return { ok, cells, unprobed, lints };
}

async function probeRow(db: Db, covered: CoveredTable): Promise<Probe | null> {
  const { rows } = await db.query<{ ctid: string; row: string }>(
    `select t.ctid::text as ctid, to_jsonb(t)::text as row from ${covered.sql} t order by t.ctid limit 1`,
  );
  if (rows.length === 0) return null;
  const row = JSON.parse(rows[0].row) as Record<string, unknown>;
  const members: RowFacts['members'] = {};
  for (const [i, p] of covered.patterns.entries()) {
    if (p.kind !== 'membership') continue;
    const [schema, name] = p.table.split('.');
    const key = row[p.key];
    const found = await db.query<{ u: string }>(
      `select m.${ident(p.userColumn)}::text as u from ${qname(schema, name)} m where m.${ident(p.memberKey)}::text = $1 order by 1`,
      [typeof key === 'string' ? key : JSON.stringify(key)],
    );
    members[i] = found.rows.map((r) => r.u);
  }
  return { ctid: rows[0].ctid, facts: { row, members, sql: {} } };
}

/** Conditions the spec writes in SQL are evaluated on the row for each actor, with owner rights. */
async function readSqlFacts(db: Db, covered: CoveredTable, probe: Probe, actors: Actor[]): Promise<void> {
  const exprs: [string, string][] = [];
  covered.patterns.forEach((p, i) => {
    if (p.kind === 'public_read' && p.filter !== null && !/^[A-Za-z_][A-Za-z0-9_$]*$/.test(p.filter))
      exprs.push([`${i}:filter`, p.filter]);
    if (p.kind === 'custom') {
      if (p.using ?? p.withCheck) exprs.push([`${i}:using`, (p.using ?? p.withCheck) as string]);
      if (p.withCheck ?? p.using) exprs.push([`${i}:check`, (p.withCheck ?? p.using) as string]);
    }
  });
  for (const actor of actors) {
    for (const [key, expr] of exprs) {
      probe.facts.sql[`${key}:${actor.name}`] = await inRolledBack(db, async () => {
        await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(actor.claims)]);
        const r = await db.query<{ v: string | boolean | null }>(
          `select (${expr})::boolean as v from ${covered.sql} where ctid = $1::tid`,
          [probe.ctid],
        );
        return r.rows[0]?.v === true || r.rows[0]?.v === 't' || r.rows[0]?.v === 'true';
      });
    }
  }
}

async function inRolledBack<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  await db.exec('begin');
  try {
    return await fn();
  } finally {
    await db.exec('rollback');
  }
}

function statementFor(
  covered: CoveredTable,
  probe: Probe,
  actor: Actor,
  op: Operation,
): { sql: string; params: unknown[] } {
  const t = covered.sql;
  const where = `where ctid = ${literal(probe.ctid)}::tid`;
  const first = ident(settableColumns(covered)[0].name);
  if (op === 'select') return { sql: `select 1 from ${t} ${where}`, params: [] };
  if (op === 'delete') return { sql: `delete from ${t} ${where}`, params: [] };
  if (op === 'update') return { sql: `update ${t} set ${first} = ${first} ${where}`, params: [] };
  const cols = insertColumns(covered).map(ident);
  return {
    sql: `insert into ${t} (${cols.join(', ')}) select ${cols.join(', ')} from jsonb_populate_record(null::${t}, $1::jsonb)`,
    params: [JSON.stringify(insertedRow(covered, probe.facts, actor))],
  };
}

/**
 * One cell, as PostgREST would run it. Row level security and privileges are checked before
 * constraints, so a constraint error (23xxx) means access was granted; 42501 means it was not.
 * An error of the application's own (a trigger's RAISE) says neither: the cell is tried again
 * with user triggers off, where the server lets this session do that.
 */
async function attempt(
  db: Db,
  covered: CoveredTable,
  probe: Probe,
  actor: Actor,
  op: Operation,
): Promise<{ actual: boolean | null; error: string | null }> {
  const first = await tryCell(db, covered, probe, actor, op, false);
  if (first.actual !== null) return first;
  const again = await tryCell(db, covered, probe, actor, op, true).catch(() => null);
  return again && again.actual !== null ? again : first;
}

async function tryCell(
  db: Db,
  covered: CoveredTable,
  probe: Probe,
  actor: Actor,
  op: Operation,
  withoutTriggers: boolean,
): Promise<{ actual: boolean | null; error: string | null }> {
  const { sql, params } = statementFor(covered, probe, actor, op);
  try {
    return await inRolledBack(db, async () => {
      // Set before the role: only the session's own (admin) rights allow it.
      if (withoutTriggers) await db.exec("set local session_replication_role = 'replica'");
      await db.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
        actor.role,
        JSON.stringify(actor.claims),
      ]);
      const r = await db.query(sql, params);
      return { actual: r.affectedRows > 0 || r.rows.length > 0, error: null };
    });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === '42501') return { actual: false, error: (err as Error).message };
    if (code.startsWith('23')) return { actual: true, error: null };
    return { actual: null, error: `${code} ${(err as Error).message}`.trim() };
  }
}
