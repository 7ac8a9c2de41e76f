import { ident, qname } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';
import { CLAIM_HELPER } from './conditions';
import type { SecurityContext } from './context';

/**
 * The role check lives in a function outside the exposed schemas: SECURITY DEFINER with an empty
 * search_path so nothing on the caller's path can stand in for auth.jwt(), and called through
 * `(select ...)` so Postgres evaluates it once per statement instead of once per row.
 */
export function helperSteps(ctx: SecurityContext): Step[] {
  if (!ctx.tables.some((t) => t.patterns.some((p) => p.kind === 'role'))) return [];
  const schema = ctx.helperSchema;
  const FN = `${qname(schema, CLAIM_HELPER)}(text[], text[])`;
  const schemaExists = ctx.snapshot.schemas.some((s) => ctx.schemaOf(s.name) === schema);
  const steps: Step[] = [];
  if (!schemaExists)
    steps.push(
      step(
        `security:schema:${schema}`,
        'security',
        'schema',
        `create schema ${ident(schema)};`,
        `drop schema ${ident(schema)};`,
      ),
    );
  const up = [
    `create function ${qname(schema, CLAIM_HELPER)}(path text[], allowed text[]) returns boolean`,
    `  language sql stable security definer set search_path = ''`,
    `  as $$ select coalesce((auth.jwt() #>> path) = any (allowed), false) $$;`,
    `revoke all on function ${FN} from public;`,
    `grant usage on schema ${ident(schema)} to anon, authenticated, service_role;`,
    `grant execute on function ${FN} to anon, authenticated, service_role;`,
  ];
  const down = [
    `revoke usage on schema ${ident(schema)} from anon, authenticated, service_role;`,
    `drop function ${FN};`,
  ];
  steps.push(
    step(`security:function:${schema}.${CLAIM_HELPER}`, 'security', 'function', up.join('\n'), down.join('\n')),
  );
  return steps;
}
