import type { Grant } from './snapshot';
import { groupBy, rowsOf, sortByKeys, sortedUnique, type CatalogScope } from './catalog';

interface AclRow {
  relid: string;
  grantee: string;
  privilege: string;
}

/**
 * Privileges on tables and views keyed by relation OID, one entry per grantee. The owner's own
 * privileges are implicit in ownership, so they are left out; grant options are not kept.
 */
export async function readRelationGrants(scope: CatalogScope): Promise<Map<string, Grant[]>> {
  const rows = await rowsOf<AclRow>(
    scope,
    `
    select c.oid::text as relid,
      case when acl.grantee = 0 then 'public' else pg_catalog.pg_get_userbyid(acl.grantee)::text end as grantee,
      acl.privilege_type::text as privilege
    from pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) acl
    where c.relnamespace = any($1::oid[]) and c.relkind in ('r', 'p', 'v', 'm') and acl.grantee <> c.relowner
    order by c.oid, acl.grantee, acl.privilege_type collate "C"`,
  );
  const byRelation = groupBy(rows, (r) => r.relid) as Map<string, AclRow[]>;
  return new Map([...byRelation].map(([relid, list]) => [relid, toGrants(list)]));
}

function toGrants(rows: AclRow[]): Grant[] {
  const byGrantee = groupBy(rows, (r) => r.grantee) as Map<string, AclRow[]>;
  const grants = [...byGrantee].map(([grantee, list]) => ({
    grantee,
    privileges: sortedUnique(list.map((r) => r.privilege)),
  }));
  return sortByKeys(grants, (g) => [g.grantee]);
}
