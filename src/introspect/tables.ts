import type { Constraint, Grant, Index, IdentityOptions, Table } from './snapshot';
import { commentJoin, notExtensionMember, rowsOf, sortByKeys, type CatalogScope } from './catalog';
import { toColumn, type AttributeRow } from './columns';
import { columnKey } from './sequences';

interface TableRow {
  relid: string;
  schema: string;
  name: string;
  kind: 'r' | 'p';
  partition_of: string | null;
  partition_bound: string | null;
  partition_key: string | null;
  inherits: string[];
  rls_enabled: boolean;
  rls_forced: boolean;
  replica_identity: string;
  owner: string;
  estimated_rows: number;
  size_bytes: string;
  comment: string | null;
  unlogged: boolean;
  options: string[] | null;
}

/** Everything read once per object kind, joined to tables by relation OID. */
export interface TableParts {
  attributes: Map<string, AttributeRow[]>;
  identities: Map<string, IdentityOptions>;
  constraints: Map<string, Constraint[]>;
  indexes: Map<string, Index[]>;
  grants: Map<string, Grant[]>;
}

export async function readTables(scope: CatalogScope, parts: TableParts): Promise<Table[]> {
  const rows = await rowsOf<TableRow>(
    scope,
    `
    select c.oid::text as relid, n.nspname::text as schema, c.relname::text as name, c.relkind::text as kind,
      (select pn.nspname || '.' || pc.relname from pg_catalog.pg_inherits i
        join pg_catalog.pg_class pc on pc.oid = i.inhparent join pg_catalog.pg_namespace pn on pn.oid = pc.relnamespace
        where c.relispartition and i.inhrelid = c.oid) as partition_of,
      case when c.relispartition then pg_catalog.pg_get_expr(c.relpartbound, c.oid) end as partition_bound,
      case when c.relkind = 'p' then pg_catalog.pg_get_partkeydef(c.oid) end as partition_key,
      array(select pn.nspname || '.' || pc.relname from pg_catalog.pg_inherits i
        join pg_catalog.pg_class pc on pc.oid = i.inhparent join pg_catalog.pg_namespace pn on pn.oid = pc.relnamespace
        where i.inhrelid = c.oid and pc.relkind <> 'p' order by i.inhseqno) as inherits,
      c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced, c.relreplident::text as replica_identity,
      pg_catalog.pg_get_userbyid(c.relowner)::text as owner, c.reltuples::float8 as estimated_rows,
      pg_catalog.pg_total_relation_size(c.oid) as size_bytes,
      ds.description as comment, c.relpersistence = 'u' as unlogged, c.reloptions::text[] as options
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      ${commentJoin('ds', 'pg_class', 'c.oid')}
    where c.relkind in ('r', 'p') and n.oid = any($1::oid[]) and ${notExtensionMember('pg_class', 'c.oid')}
    order by n.nspname collate "C", c.relname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.name]).map((r) => toTable(r, parts));
}

function toTable(r: TableRow, parts: TableParts): Table {
  const columns = (parts.attributes.get(r.relid) ?? []).map((a) =>
    toColumn(a, parts.identities.get(columnKey(r.relid, a.attnum)) ?? null),
  );
  return {
    schema: r.schema,
    name: r.name,
    kind: r.kind,
    columns,
    constraints: parts.constraints.get(r.relid) ?? [],
    indexes: parts.indexes.get(r.relid) ?? [],
    partitionOf: r.partition_of,
    partitionBound: r.partition_bound,
    partitionKey: r.partition_key,
    inherits: r.inherits,
    rlsEnabled: r.rls_enabled,
    rlsForced: r.rls_forced,
    replicaIdentity: r.replica_identity,
    owner: r.owner,
    estimatedRows: r.estimated_rows,
    sizeBytes: Number(r.size_bytes),
    comment: r.comment,
    grants: parts.grants.get(r.relid) ?? [],
    ...(r.unlogged ? { unlogged: true as const } : {}),
    ...(r.options && r.options.length > 0 ? { options: [...r.options].sort() } : {}),
  };
}
