import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers/sources';

/** test/fixtures/multitenant.sql (shared with bench/performance) with this many tasks. */
export function tenantFixtureSql(tasks: number): string {
  return readFileSync(join(ROOT, 'test/fixtures/multitenant.sql'), 'utf8').replace(
    /\{\{TASKS\}\}/g,
    String(Math.trunc(tasks)),
  );
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
