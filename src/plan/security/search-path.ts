import type { Routine } from '../../introspect/snapshot';
import { ident, qname } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';
import type { SecurityContext } from './context';
import { supabaseNative } from './native';
import { exposedSchemas } from '../../spec/exposed';

const PINNED = /^ SET search_path\b/im;
export const routineKey = (schema: string, f: Routine): string => `${schema}.${f.name}(${f.identityArgs})`;

export function routines(ctx: SecurityContext): { f: Routine; schema: string }[] {
  return ctx.snapshot.functions
    .filter((f) => f.kind === 'f' || f.kind === 'p')
    .map((f) => ({ f, schema: ctx.schemaOf(f.schema) }))
    .sort((a, b) => (routineKey(a.schema, a.f) < routineKey(b.schema, b.f) ? -1 : 1));
}

/**
 * Functions that resolve names through the caller's search_path can be steered by whoever
 * controls it (Supabase's function_search_path_mutable). SECURITY DEFINER ones, which run with
 * their owner's rights, are pinned to the path their bodies resolved through on the source (their
 * own schema, public, and extensions where the extensions now live). Others keep theirs unless the
 * spec asks (`pin_search_path: all`): a pinned LANGUAGE sql function is no longer inlined, which
 * slows the policies and views that call it; validate lists their lint as carried, with the fix.
 */
export function searchPathSteps(ctx: SecurityContext): Step[] {
  const all = ctx.spec.security.pinSearchPath === 'all';
  return routines(ctx)
    .filter(({ f }) => (all || f.securityDefiner) && !PINNED.test(f.definition))
    .map(({ f, schema }) => {
      const path = [...new Set([schema, 'public', 'extensions'])].map(ident).join(', ');
      const routine = `${qname(schema, f.name)}(${f.identityArgs})`;
      return step(
        `security:search-path:${routineKey(schema, f)}`,
        'security',
        'search-path',
        `alter routine ${routine} set search_path = ${path};`,
        `alter routine ${routine} reset search_path;`,
      );
    });
}

/**
 * SECURITY DEFINER functions in an exposed schema are callable over the Data API (RPC) with their
 * owner's rights. From a plain Postgres source nobody decided that, so only service_role keeps
 * EXECUTE (triggers still fire: EXECUTE is checked when a trigger is created, not when it runs).
 * A Supabase source granted its RPCs on purpose: the API roles get EXECUTE exactly as there
 * (Supabase's default privileges would otherwise hand it to anon too).
 */
export function definerExecuteSteps(ctx: SecurityContext): Step[] {
  const native = supabaseNative(ctx.snapshot);
  const exposed = new Set(exposedSchemas(ctx.spec));
  return routines(ctx)
    .filter(({ f, schema }) => f.securityDefiner && exposed.has(schema) && (!native || f.executeGrantees !== undefined))
    .map(({ f, schema }) => {
      const kind = f.kind === 'p' ? 'procedure' : 'function';
      const routine = `${kind} ${qname(schema, f.name)}(${f.identityArgs})`;
      const kept = native ? (f.executeGrantees ?? []).filter((r) => CALLERS.has(r)) : [];
      const up = [
        `revoke execute on ${routine} from public, anon, authenticated;`,
        `grant execute on ${routine} to ${[...new Set([...kept, 'service_role'])].map((r) => (r === 'public' ? r : ident(r))).join(', ')};`,
      ];
      const down = [`grant execute on ${routine} to public;`];
      return step(
        `security:execute:${routineKey(schema, f)}`,
        'security',
        'function-access',
        up.join('\n'),
        down.join('\n'),
      );
    });
}

const CALLERS = new Set(['public', 'anon', 'authenticated']);
