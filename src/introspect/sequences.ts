import type { IdentityOptions, Sequence } from './snapshot';
import { rowsOf, sortByKeys, type CatalogScope } from './catalog';

interface SequenceRow {
  schema: string;
  name: string;
  data_type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  /** 'i' identity, 'a' owned by a column (serial), null free-standing. */
  link: string | null;
  owner_relid: string | null;
  owner_attnum: number | null;
  owned_by: string | null;
  comment: string | null;
  unlogged: boolean;
}

export interface SequenceCatalog {
  sequences: Sequence[];
  /** Identity options keyed by `relid:attnum` of the identity column. */
  identities: Map<string, IdentityOptions>;
}

export const columnKey = (relid: string, attnum: number): string => `${relid}:${attnum}`;

export async function readSequences(scope: CatalogScope): Promise<SequenceCatalog> {
  const rows = await rowsOf<SequenceRow>(
    scope,
    `
    select n.nspname::text as schema, c.relname::text as name,
      pg_catalog.format_type(s.seqtypid, null) as data_type,
      s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min, s.seqmax::text as max,
      s.seqcache::text as cache, s.seqcycle as cycle,
      d.deptype::text as link, d.refobjid::text as owner_relid, d.refobjsubid::int as owner_attnum,
      case when d.deptype = 'a' then on_.nspname || '.' || oc.relname || '.' || oa.attname end as owned_by,
      pg_catalog.obj_description(c.oid, 'pg_class') as comment, c.relpersistence = 'u' as unlogged
    from pg_catalog.pg_sequence s
      join pg_catalog.pg_class c on c.oid = s.seqrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass and d.objid = c.oid
        and d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass and d.deptype in ('a', 'i') and d.refobjsubid > 0
      left join pg_catalog.pg_class oc on oc.oid = d.refobjid
      left join pg_catalog.pg_namespace on_ on on_.oid = oc.relnamespace
      left join pg_catalog.pg_attribute oa on oa.attrelid = d.refobjid and oa.attnum = d.refobjsubid
    where n.oid = any($1::oid[]) and not exists (select 1 from pg_catalog.pg_depend e
      where e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass and e.objid = c.oid and e.deptype = 'e')
    order by n.nspname collate "C", c.relname collate "C"`,
  );
  const identities = new Map<string, IdentityOptions>();
  const sequences: Sequence[] = [];
  for (const r of rows) {
    if (r.link === 'i' && r.owner_relid !== null && r.owner_attnum !== null) {
      identities.set(columnKey(r.owner_relid, r.owner_attnum), identityOptions(r));
    } else {
      sequences.push(toSequence(r));
    }
  }
  return { sequences: sortByKeys(sequences, (s) => [s.schema, s.name]), identities };
}

function identityOptions(r: SequenceRow): IdentityOptions {
  return { start: r.start, increment: r.increment, min: r.min, max: r.max, cache: r.cache, cycle: r.cycle };
}

function toSequence(r: SequenceRow): Sequence {
  return {
    schema: r.schema,
    name: r.name,
    dataType: r.data_type,
    start: r.start,
    increment: r.increment,
    min: r.min,
    max: r.max,
    cache: r.cache,
    cycle: r.cycle,
    ownedBy: r.owned_by,
    comment: r.comment,
    ...(r.unlogged ? { unlogged: true as const } : {}),
  };
}
