import type { Snapshot, View } from '../../introspect/snapshot';
import { qname } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';
import type { SecurityContext } from './context';
import { supabaseNative } from './native';
import { exposedSchemas } from '../../spec/exposed';

const INVOKER = /^security_invoker=(true|on|1|yes)$/i;
/** Whether the source made the view read with the caller's rights. */
const sourceInvoker = (v: View): boolean => v.options.some((o) => INVOKER.test(o));
const API_GRANTEES = new Set(['anon', 'authenticated']);

/** The tables a view reads, through the views it reads (bounded: view chains are short). */
export function baseTables(snapshot: Snapshot, view: View, depth = 0): string[] {
  const views = new Map(snapshot.views.map((v) => [`${v.schema}.${v.name}`, v]));
  return [
    ...new Set(
      view.dependsOn.flatMap((d) => {
        const inner = views.get(d);
        if (!inner) return [d];
        return depth < 8 ? baseTables(snapshot, inner, depth + 1) : [];
      }),
    ),
  ].sort();
}

/**
 * A view a Supabase project made with its owner's rights over tables that all have RLS: a
 * deliberate choice there (it shows chosen columns of rows the caller could not read), carried
 * as it is and listed by validate as carried from the source.
 */
export function isCarriedOwnerView(snapshot: Snapshot, v: View): boolean {
  if (v.materialized || sourceInvoker(v) || !supabaseNative(snapshot)) return false;
  const tables = new Map(snapshot.tables.map((t) => [`${t.schema}.${t.name}`, t]));
  const base = baseTables(snapshot, v).filter((d) => tables.has(d));
  return base.length > 0 && base.every((d) => tables.get(d)?.rlsEnabled === true);
}

/** The API roles' privileges the source gave the view, as GRANT lines. */
function sourceGrants(v: View, name: string): string[] {
  return v.grants
    .filter((g) => API_GRANTEES.has(g.grantee))
    .map((g) => `grant ${g.privileges.map((p) => p.toLowerCase()).join(', ')} on table ${name} to ${g.grantee};`);
}

/** Whether the view reads with the caller's rights on the target: the spec's word, else the plan's choice. */
function readsAsInvoker(ctx: SecurityContext, v: View): boolean {
  const rights = ctx.spec.security.views?.[`${v.schema}.${v.name}`]?.rights;
  if (rights) return rights === 'invoker';
  return sourceInvoker(v) || !isCarriedOwnerView(ctx.snapshot, v);
}

/** The rights lines of a (non-materialized) view whose reading rights change on the target. */
function rightsLines(v: View, name: string, invoker: boolean): { up: string[]; down: string[] } {
  const was = sourceInvoker(v);
  if (invoker === was) return { up: [], down: [] };
  const down = [`alter view ${name} ${was ? 'set (security_invoker = true)' : 'reset (security_invoker)'};`];
  return { up: [`alter view ${name} set (security_invoker = ${invoker});`], down };
}

/**
 * Views in the API: one over tables that had no RLS on the source reads with the caller's rights
 * (security_invoker), because owner rights were never a security decision on a plain Postgres and
 * under the Data API they bypass RLS; it is not opened to anon or authenticated (the spec opens
 * tables). Views that read with the caller's rights already, and owner-rights views a Supabase
 * source made over RLS tables, keep the source's grants. Materialized views cannot have RLS:
 * only service_role reads them. `security.views` sets a view's rights and opens SELECT by name.
 */
export function viewSteps(ctx: SecurityContext): Step[] {
  const exposed = new Set(exposedSchemas(ctx.spec));
  return ctx.snapshot.views
    .filter((v) => exposed.has(ctx.schemaOf(v.schema)))
    .sort((a, b) => (`${a.schema}.${a.name}` < `${b.schema}.${b.name}` ? -1 : 1))
    .map((v) => {
      const schema = ctx.schemaOf(v.schema);
      const name = qname(schema, v.name);
      const kind = v.materialized ? 'materialized view' : 'view';
      const open = ctx.spec.security.views?.[`${v.schema}.${v.name}`]?.open ?? [];
      const invoker = !v.materialized && readsAsInvoker(ctx, v);
      const keepsGrants = !v.materialized && (sourceInvoker(v) || isCarriedOwnerView(ctx.snapshot, v));
      const rights = v.materialized ? { up: [], down: [] } : rightsLines(v, name, invoker);
      const up = [
        ...rights.up,
        `revoke all on table ${name} from anon, authenticated;`,
        ...(keepsGrants ? sourceGrants(v, name) : []),
        ...(open.length > 0 ? [`grant select on table ${name} to ${open.join(', ')};`] : []),
        `grant select on table ${name} to service_role;`,
      ];
      const down = [`revoke all on table ${name} from service_role;`, ...rights.down];
      return step(`security:view:${schema}.${v.name}`, 'security', kind, up.join('\n'), down.join('\n'));
    });
}
