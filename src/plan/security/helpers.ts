import { ident, qname } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';
import { CLAIM_HELPER, HELPER_SCHEMA } from './conditions';
import type { SecurityContext } from './context';

const FN = `${qname(HELPER_SCHEMA, CLAIM_HELPER)}(text[], text[])`;

/**
 * The role check lives in a function outside the exposed schemas: SECURITY DEFINER with an empty
 * search_path so nothing on the caller's path can stand in for auth.jwt(), and called through
 * `(select ...)` so Postgres evaluates it once per statement instead of once per row.
 */
export function helperSteps(ctx: SecurityContext): Step[] {
  if (!ctx.tables.some((t) => t.patterns.some((p) => p.kind === 'role'))) return [];
  const schemaExists = ctx.snapshot.schemas.some((s) => ctx.schemaOf(s.name) === HELPER_SCHEMA);
  const steps: Step[] = [];
  if (!schemaExists)
    steps.push(
      step(
        `security:schema:${HELPER_SCHEMA}`,
        'security',
        'schema',
        `create schema ${ident(HELPER_SCHEMA)};`,
        `drop schema ${ident(HELPER_SCHEMA)};`,
      ),
    );
  const up = [
    `create function ${qname(HELPER_SCHEMA, CLAIM_HELPER)}(path text[], allowed text[]) returns boolean`,
    `  language sql stable security definer set search_path = ''`,
    `  as $$ select coalesce((auth.jwt() #>> path) = any (allowed), false) $$;`,
    `revoke all on function ${FN} from public;`,
    `grant usage on schema ${ident(HELPER_SCHEMA)} to anon, authenticated, service_role;`,
    `grant execute on function ${FN} to anon, authenticated, service_role;`,
  ];
  const down = [
    `revoke usage on schema ${ident(HELPER_SCHEMA)} from anon, authenticated, service_role;`,
    `drop function ${FN};`,
  ];
  steps.push(
    step(`security:function:${HELPER_SCHEMA}.${CLAIM_HELPER}`, 'security', 'function', up.join('\n'), down.join('\n')),
  );
  return steps;
}
