import { ident, qname } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';
import type { SecurityContext } from './context';

/**
 * Functions that resolve names through the caller's search_path can be steered by whoever
 * controls it (Supabase's function_search_path_mutable). Each is pinned to the path an API role
 * has on Supabase, with its own schema first, so unqualified names resolve as they did.
 */
export function searchPathSteps(ctx: SecurityContext): Step[] {
  if (ctx.tables.length === 0) return [];
  return ctx.snapshot.functions
    .filter((f) => (f.kind === 'f' || f.kind === 'p') && !/^ SET search_path\b/im.test(f.definition))
    .map((f) => ({ f, schema: ctx.schemaOf(f.schema) }))
    .sort((a, b) => (`${a.schema}.${a.f.name}(${a.f.identityArgs})` < `${b.schema}.${b.f.name}(${b.f.identityArgs})` ? -1 : 1))
    .map(({ f, schema }) => {
      const path = [...new Set([schema, 'public', 'extensions'])].map(ident).join(', ');
      const routine = `${qname(schema, f.name)}(${f.identityArgs})`;
      return step(`security:search-path:${schema}.${f.name}(${f.identityArgs})`, 'security', 'search-path', `alter routine ${routine} set search_path = ${path};`, `alter routine ${routine} reset search_path;`);
    });
}
