/**
 * A multi-tenant application: tenants, their members, projects owned by a member, and tasks
 * (the large table) in projects. Ids are derived from the row number, so every run is the same.
 */
export function tenantFixtureSql(tasks: number): string {
  const uuid = (prefix: string, expr: string) => `md5('${prefix}' || ${expr})::uuid`;
  return `
create table tenants (id uuid primary key, name text not null);
create table members (id uuid primary key, tenant_id uuid not null references tenants, email text not null);
create index members_tenant_id_idx on members (tenant_id);
create table projects (id bigint primary key, tenant_id uuid not null references tenants,
  owner_id uuid not null references members, name text not null);
create index projects_tenant_id_idx on projects (tenant_id);
create index projects_owner_id_idx on projects (owner_id);
create table tasks (id bigint primary key, project_id bigint not null references projects,
  owner_id uuid not null references members, title text not null, done boolean not null);
create index tasks_project_id_idx on tasks (project_id);
create index tasks_owner_id_idx on tasks (owner_id);
insert into tenants select ${uuid('t', 'i')}, 'tenant ' || i from generate_series(1, 50) i;
insert into members select ${uuid('m', 'i')}, ${uuid('t', '(1 + i % 50)')}, 'member' || i || '@example.com' from generate_series(1, 5000) i;
insert into projects select i, m.tenant_id, m.id, 'project ' || i
  from generate_series(1, 20000) i join members m on m.id = ${uuid('m', '(1 + i % 5000)')};
insert into tasks select i, 1 + (i * 7919) % 20000, ${uuid('m', '(1 + (i * 104729) % 5000)')}, 'task ' || i, i % 3 = 0
  from generate_series(1::bigint, ${Math.trunc(tasks)}) i;
analyze;
`;
}

/** Owner policy on projects and tasks, tenant policy on members and projects. */
export const TENANT_SECURITY_YAML = `
security:
  public.tasks:
    - owner: { column: owner_id }
  public.projects:
    - owner: { column: owner_id }
    - tenant: { column: tenant_id }
  public.members:
    - tenant: { column: tenant_id }
`;
