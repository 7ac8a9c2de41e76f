import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { requireUrl } from '../../commands/project';
import { UserError } from '../../errors';
import type { CliContext } from '../context';

/** `supamigrate bootstrap`. */
export function addBootstrapCommand({ program, out, globals, spec }: CliContext): void {
  program
    .command('bootstrap')
    .description('make an empty Postgres (server or PGlite) Supabase-shaped for local work and tests')
    .action(async () => {
      const { bootstrapTarget } = await import('../../commands/bootstrap');
      const r = await bootstrapTarget(bootstrapUrl());
      out.line(
        r.created.length === 0 ? 'already Supabase-shaped: nothing created' : `created: ${r.created.join(', ')}`,
      );
    });

  /** bootstrap's target: the flag, else the spec's target (or SUPABASE_DB_URL), as apply finds it. */
  function bootstrapUrl(): string {
    const { target } = globals();
    if (target !== undefined) return target;
    const fix = 'pass --target <url>, export SUPABASE_DB_URL, or set target.url in migration.yaml';
    if (existsSync(resolve(globals().spec))) return requireUrl(undefined, spec(), 'target');
    if (process.env.SUPABASE_DB_URL) return process.env.SUPABASE_DB_URL;
    throw new UserError('bootstrap needs the target database', fix);
  }
}
