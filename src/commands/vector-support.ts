import type { Db } from '../db';
import { redactUrl } from '../db';
import { UserError } from '../errors';
import type { ExecutableStep } from '../execute';

export type VectorSupport = 'installed' | 'available' | 'missing';

/** Whether a server has pgvector: created already, installable, or not there at all. */
export async function vectorSupport(db: Db): Promise<VectorSupport> {
  const r = await db.query<{ installed: boolean; available: boolean }>(
    `select exists (select 1 from pg_catalog.pg_extension where extname = 'vector') as installed,
            exists (select 1 from pg_catalog.pg_available_extensions where name = 'vector') as available`,
  );
  return r.rows[0].installed ? 'installed' : r.rows[0].available ? 'available' : 'missing';
}

/**
 * A plan that creates the vector extension cannot run on a server without pgvector. Checked
 * before the first step, so such a target is left exactly as it was.
 */
export async function requireVectorSupport(db: Db, url: string, steps: ExecutableStep[]): Promise<void> {
  if (!steps.some((s) => s.id === 'extension:vector')) return;
  if ((await vectorSupport(db)) !== 'missing') return;
  throw new UserError(
    `the target ${redactUrl(url)} does not have pgvector (the vector extension), which the plan needs for its vector columns; nothing was applied`,
    'install pgvector on that server (Supabase projects have it), or set options.enable_vector_migration: false ' +
      'in migration.yaml to keep the arrays, then run `supamigrate plan` again',
  );
}
