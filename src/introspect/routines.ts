import type { Routine } from './snapshot';
import { AGGREGATE_DEFINITION, AGGREGATE_USES } from './aggregates';
import { commentJoin, notExtensionMember, rowsOf, sortByKeys, sortedUnique, type CatalogScope } from './catalog';

type ArgMode = Routine['args'][number]['mode'];

interface RoutineRow {
  schema: string;
  name: string;
  identity_args: string;
  kind: 'f' | 'p' | 'a' | 'w';
  definition: string;
  language: string;
  returns: string | null;
  returns_set: boolean;
  security_definer: boolean;
  volatility: 'i' | 's' | 'v';
  arg_names: string[] | null;
  arg_types: string[];
  arg_modes: string[] | null;
  defaults: number;
  depends_on: string[];
  owner: string;
  comment: string | null;
  execute_grantees: string[];
  uses: string[];
}

/**
 * Functions, procedures, aggregates and window functions. An aggregate lists the support
 * functions it uses outside pg_catalog (`uses`), so one over a function Supabase cannot hold is
 * reported with it; a window function (C only) is read to be reported, never planned.
 * dependsOn lists relations reached through the catalog's dependencies: row types in the
 * signature (directly or as array elements) and whatever a SQL-standard body references.
 */
export async function readRoutines(scope: CatalogScope): Promise<Routine[]> {
  const rows = await rowsOf<RoutineRow>(
    scope,
    `
    select n.nspname::text as schema, p.proname::text as name,
      pg_catalog.pg_get_function_identity_arguments(p.oid) as identity_args, p.prokind::text as kind,
      case when p.prokind = 'a' then ${AGGREGATE_DEFINITION}
      else pg_catalog.pg_get_functiondef(p.oid) end as definition, l.lanname::text as language,
      pg_catalog.pg_get_function_result(p.oid) as returns, p.proretset as returns_set,
      p.prosecdef as security_definer, p.provolatile::text as volatility,
      p.proargnames::text[] as arg_names,
      array(select pg_catalog.format_type(t.oid, null)
        from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality a(oid, ord)
        join pg_catalog.pg_type t on t.oid = a.oid order by a.ord) as arg_types,
      p.proargmodes::text[] as arg_modes, p.pronargdefaults::int as defaults,
      array(select distinct dn.nspname || '.' || dc.relname
        from pg_catalog.pg_depend d
          left join pg_catalog.pg_type dt on d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass and dt.oid = d.refobjid
          left join pg_catalog.pg_type et on et.oid = dt.typelem
          join pg_catalog.pg_class dc on dc.oid = case
            when d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass then d.refobjid
            when dt.typrelid <> 0 then dt.typrelid else et.typrelid end
          join pg_catalog.pg_namespace dn on dn.oid = dc.relnamespace
        where d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass and d.objid = p.oid and d.deptype = 'n'
        order by 1) as depends_on,
      pg_catalog.pg_get_userbyid(p.proowner)::text as owner,
      case when p.proacl is null then array['public'] else array(
        select distinct case when a.grantee = 0 then 'public' else pg_catalog.pg_get_userbyid(a.grantee)::text end
        from pg_catalog.aclexplode(p.proacl) a where a.privilege_type = 'EXECUTE' and a.grantee <> p.proowner order by 1) end as execute_grantees,
      case when p.prokind = 'a' then ${AGGREGATE_USES} else array[]::text[] end as uses,
      ds.description as comment
    from pg_catalog.pg_proc p
      join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      join pg_catalog.pg_language l on l.oid = p.prolang
      ${commentJoin('ds', 'pg_proc', 'p.oid')}
    where p.pronamespace = any($1::oid[])
      and ${notExtensionMember('pg_proc', 'p.oid')}
      -- constructors Postgres makes with a range type, and re-makes with it
      and not exists (select 1 from pg_catalog.pg_depend id where id.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
        and id.objid = p.oid and id.deptype = 'i')
    order by n.nspname collate "C", p.proname collate "C", p.oid`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.name, r.identity_args]).map(toRoutine);
}

function toRoutine(r: RoutineRow): Routine {
  return {
    schema: r.schema,
    name: r.name,
    identityArgs: r.identity_args,
    kind: r.kind,
    definition: r.definition,
    language: r.language,
    returns: r.returns ?? '',
    returnsSet: r.returns_set,
    securityDefiner: r.security_definer,
    volatility: r.volatility,
    args: routineArgs(r),
    dependsOn: sortedUnique(r.depends_on),
    owner: r.owner,
    comment: r.comment,
    ...(r.uses.length > 0 ? { uses: r.uses } : {}),
    // Who may call it matters where it runs with its owner's rights (the API's RPC surface).
    ...(r.security_definer ? { executeGrantees: sortedUnique(r.execute_grantees) } : {}),
  };
}

/** Defaults belong to the last `defaults` input arguments (modes i, b, v). */
export function routineArgs(
  r: Pick<RoutineRow, 'arg_names' | 'arg_types' | 'arg_modes' | 'defaults'>,
): Routine['args'] {
  const modes = r.arg_types.map((_, i) => (r.arg_modes?.[i] ?? 'i') as ArgMode);
  const inputs = modes.map((m, i) => (m === 'i' || m === 'b' || m === 'v' ? i : -1)).filter((i) => i >= 0);
  const withDefault = new Set(inputs.slice(inputs.length - r.defaults));
  return r.arg_types.map((type, i) => ({
    name: r.arg_names?.[i] ?? '',
    type,
    mode: modes[i],
    hasDefault: withDefault.has(i),
  }));
}
