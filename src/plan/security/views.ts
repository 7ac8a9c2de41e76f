import { qname } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';
import type { SecurityContext } from './context';

/**
 * Views in the API read with the caller's rights (security_invoker), so the tables' policies
 * apply through them; materialized views cannot, so only service_role may read them. Neither is
 * opened to anon or authenticated: the spec opens tables, not views.
 */
export function viewSteps(ctx: SecurityContext): Step[] {
  if (ctx.tables.length === 0) return [];
  const exposed = new Set(ctx.spec.security.exposedSchemas ?? ['public']);
  return ctx.snapshot.views
    .filter((v) => exposed.has(ctx.schemaOf(v.schema)))
    .sort((a, b) => (`${a.schema}.${a.name}` < `${b.schema}.${b.name}` ? -1 : 1))
    .map((v) => {
      const schema = ctx.schemaOf(v.schema);
      const name = qname(schema, v.name);
      const kind = v.materialized ? 'materialized view' : 'view';
      const up = [`revoke all on table ${name} from anon, authenticated;`, `grant select on table ${name} to service_role;`];
      const down = [`revoke all on table ${name} from service_role;`];
      if (!v.materialized && !v.options.includes('security_invoker=true')) {
        up.unshift(`alter view ${name} set (security_invoker = true);`);
        down.push(`alter view ${name} reset (security_invoker);`);
      }
      return step(`security:view:${schema}.${v.name}`, 'security', kind, up.join('\n'), down.join('\n'));
    });
}
