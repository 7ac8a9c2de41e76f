import type { Db } from '../../src/db';

/**
 * Every privilege held by the given roles on every object of the non-system schemas, one line
 * each: "<grantee> <privilege>[*] on <kind> <object>" (`*` = with grant option). Written apart
 * from the engine's introspection so that a test does not check the engine with itself.
 */
export async function roleAcl(db: Db, roles: string[]): Promise<string[]> {
  const { rows } = await db.query<{ line: string }>(
    `with objects as (
      select 'relation ' || c.oid::regclass::text as object, c.relacl as acl, c.relowner as owner
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
      union all select 'column ' || c.oid::regclass::text || '.' || quote_ident(a.attname), a.attacl, c.relowner
        from pg_attribute a join pg_class c on c.oid = a.attrelid where a.attnum > 0 and a.attacl is not null
      union all select 'routine ' || p.oid::regprocedure::text, p.proacl, p.proowner from pg_proc p
      union all select 'schema ' || quote_ident(n.nspname), n.nspacl, n.nspowner from pg_namespace n
      union all select 'type ' || t.oid::regtype::text, t.typacl, t.typowner from pg_type t
    )
    select pg_get_userbyid(x.grantee) || ' ' || x.privilege_type || case when x.is_grantable then '*' else '' end
        || ' on ' || o.object as line
      from objects o, aclexplode(o.acl) x
      where o.acl is not null and x.grantee <> o.owner and pg_get_userbyid(x.grantee) = any($1::text[])
      order by 1`,
    [roles],
  );
  return rows.map((r) => r.line);
}
