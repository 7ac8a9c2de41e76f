import type { Db } from '../db';
import { missingObjects } from './adopt';
import { describeMismatch, rowCountMismatches } from './checks/row-counts';
import type { ExecutableStep } from './executable';
import { type StepFailure, textFailure } from './pg-error';

/** What each phase's check is called in a failure's `code`, and what it finds. */
const CHECKS: Record<string, { code: string; find: (db: Db, ran: ExecutableStep[]) => Promise<string[]> }> = {
  'pre-data': { code: 'objects-missing', find: missingObjects },
  data: {
    code: 'row-count-mismatch',
    find: async (db, ran) => (await rowCountMismatches(db, ran)).map(describeMismatch),
  },
  'post-data': { code: 'objects-invalid', find: invalidObjects },
};

/**
 * What must hold once a phase has run, before the next one starts: the objects the schema
 * steps create exist (the fingerprint's ownership rules), each loaded table holds the rows its
 * chunks recorded, and the keys and indexes built are valid. Returns null when it holds.
 */
export async function checkPhase(db: Db, phase: string, ran: ExecutableStep[]): Promise<StepFailure | null> {
  const check = CHECKS[phase];
  if (ran.length === 0 || !check) return null;
  const problems = await check.find(db, ran);
  if (problems.length === 0) return null;
  return {
    ...textFailure(
      `check:${phase}`,
      `the ${phase} phase ran, but its check does not hold:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    ),
    code: check.code,
    detail: problems.join('; '),
    hint: `the next phase did not start; fix the target (or the plan) and run \`supamigrate apply\` again`,
  };
}

/** Indexes left invalid and constraints left unvalidated by the steps that ran (unless planned NOT VALID). */
async function invalidObjects(db: Db, ran: ExecutableStep[]): Promise<string[]> {
  const r = await db.query<{ what: string; schema: string; name: string }>(
    `select 'index' as what, n.nspname as schema, c.relname as name
       from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where not i.indisvalid
     union all
     select 'constraint', n.nspname, k.conname
       from pg_catalog.pg_constraint k join pg_catalog.pg_namespace n on n.oid = k.connamespace
      where not k.convalidated
     order by 1, 2, 3`,
  );
  const planned = ran.filter((s) => !/\bnot\s+valid\b/i.test(s.body));
  return r.rows
    .filter((o) => planned.some((s) => s.id.includes(`:${o.schema}.`) && s.id.endsWith(`.${o.name}`)))
    .map((o) => `${o.what} ${o.schema}.${o.name} is not valid`);
}
