import type { Cast, Operator } from './snapshot';
import { rowsOf, sortByKeys, type CatalogScope } from './catalog';
import { descriptionOf } from './statistics-rules';

const routineKey = (
  oid: string,
) => `(select kn.nspname || '.' || kp.proname || '(' || pg_catalog.pg_get_function_identity_arguments(kp.oid) || ')'
  from pg_catalog.pg_proc kp join pg_catalog.pg_namespace kn on kn.oid = kp.pronamespace where kp.oid = ${oid})`;
const typeName = (oid: string) => `case when ${oid} = 0 then null else pg_catalog.format_type(${oid}, null) end`;
const notMember = (catalog: string, oid: string) => `not exists (select 1 from pg_catalog.pg_depend e
  where e.classid = 'pg_catalog.${catalog}'::pg_catalog.regclass and e.objid = ${oid} and e.deptype = 'e')`;
const inScope = (nsOid: string) => `${nsOid} = any($1::oid[])`;

/**
 * Casts that belong to the application: a cast has no schema, so it is read when its source or
 * target type, or its function, lives in an introspected schema, and no extension owns it.
 */
export async function readCasts(scope: CatalogScope): Promise<Cast[]> {
  const rows = await rowsOf<Cast>(
    scope,
    `select pg_catalog.format_type(c.castsource, null) as source, pg_catalog.format_type(c.casttarget, null) as target,
      ${routineKey('c.castfunc')} as function,
      case when c.castfunc = 0 then null else c.castfunc::pg_catalog.regprocedure::text end as signature,
      c.castcontext::text as context, c.castmethod::text as method,
      ${descriptionOf('cd', 'pg_cast', 'c.oid')} as comment
    from pg_catalog.pg_cast c
      join pg_catalog.pg_type s on s.oid = c.castsource join pg_catalog.pg_type t on t.oid = c.casttarget
      left join pg_catalog.pg_proc f on f.oid = c.castfunc
    where c.oid >= 16384 and ${notMember('pg_cast', 'c.oid')}
      -- casts Postgres makes with a range type (range to multirange), and re-makes with it
      and not exists (select 1 from pg_catalog.pg_depend i where i.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass
        and i.objid = c.oid and i.deptype = 'i')
      and (${inScope('s.typnamespace')} or ${inScope('t.typnamespace')} or ${inScope('f.pronamespace')})
    order by 1, 2`,
  );
  return sortByKeys(rows, (r) => [r.source, r.target]);
}

/** Operators of the introspected schemas that no extension owns, with their support functions. */
export async function readOperators(scope: CatalogScope): Promise<Operator[]> {
  const rows = await rowsOf<Operator>(
    scope,
    `select n.nspname::text as schema, o.oprname::text as name, ${typeName('o.oprleft')} as "left", ${typeName('o.oprright')} as "right",
      ${routineKey('o.oprcode')} as function, o.oprcode::pg_catalog.regproc::text as procedure,
      (select 'OPERATOR(' || pg_catalog.quote_ident(cn.nspname) || '.' || co.oprname || ')' from pg_catalog.pg_operator co
        join pg_catalog.pg_namespace cn on cn.oid = co.oprnamespace where co.oid = o.oprcom) as commutator,
      (select 'OPERATOR(' || pg_catalog.quote_ident(cn.nspname) || '.' || co.oprname || ')' from pg_catalog.pg_operator co
        join pg_catalog.pg_namespace cn on cn.oid = co.oprnamespace where co.oid = o.oprnegate) as negator,
      case when o.oprrest = 0 then null else o.oprrest::pg_catalog.regproc::text end as restrict,
      case when o.oprjoin = 0 then null else o.oprjoin::pg_catalog.regproc::text end as "join",
      o.oprcanhash as hashes, o.oprcanmerge as merges,
      ${descriptionOf('od', 'pg_operator', 'o.oid')} as comment
    from pg_catalog.pg_operator o join pg_catalog.pg_namespace n on n.oid = o.oprnamespace
    where ${inScope('o.oprnamespace')} and ${notMember('pg_operator', 'o.oid')} and o.oprcode <> 0
    order by n.nspname collate "C", o.oprname collate "C", 3, 4`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.name, r.left ?? '', r.right ?? '']);
}
