import type { Db } from '../db';
import { UserError } from '../errors';
import { introspect } from '../introspect';
import { ownedBy } from '../compare/drift';
import { schemaObjects } from '../compare/schema';
import { type Checkpoint, readCheckpoints, recordCheckpoint } from './checkpoints';
import { EVOLUTION_KIND } from './evolve';
import { asPlanned, type ExecutableStep } from './executable';

const versionOf = (file: string | null): string | null =>
  file ? (/\/(\d+)_[^/]+\.sql$/.exec(file)?.[1] ?? null) : null;

/** Plan steps whose file Supabase's history lists although supamigrate recorded nothing: `db push` ran them. */
export function pushedSteps(
  steps: ExecutableStep[],
  checkpoints: Checkpoint[],
  history: ReadonlySet<string>,
): ExecutableStep[] {
  if (checkpoints.some((c) => c.kind !== EVOLUTION_KIND)) return [];
  return steps.filter((s) => {
    const v = versionOf(s.file);
    return v !== null && history.has(v);
  });
}

/**
 * The objects the pushed steps create that the target does not have (`kind schema.name`), by
 * the same ownership rules as the drift fingerprint.
 */
export async function missingObjects(db: Db, pushed: ExecutableStep[]): Promise<string[]> {
  if (pushed.length === 0) return [];
  const keys = [...schemaObjects(await introspect(db)).keys()];
  const has = new Set(keys);
  const { relations, objects } = ownedBy(pushed.map((s) => s.id));
  const missing: string[] = [];
  for (const r of relations)
    if (!['table', 'view', 'materialized view'].some((k) => has.has(`${k} ${r}`))) missing.push(`relation ${r}`);
  for (const o of objects) if (!has.has(o) && !keys.some((k) => k.startsWith(`${o}(`))) missing.push(o);
  return missing.sort();
}

/**
 * Adopts a target that `supabase db push` set up from the plan's files: after checking that the
 * objects exist, the steps of the pushed files are recorded as applied, so apply goes on with the
 * data. A dry run records nothing and returns the checkpoints it would have.
 */
export async function adoptPushedSteps(
  db: Db,
  steps: ExecutableStep[],
  checkpoints: Checkpoint[],
  history: ReadonlySet<string>,
  dryRun: boolean,
): Promise<Checkpoint[]> {
  const pushed = pushedSteps(steps, checkpoints, history);
  if (pushed.length === 0) return checkpoints;
  const missing = await missingObjects(db, pushed);
  if (missing.length > 0) {
    throw new UserError(
      `supabase_migrations.schema_migrations lists the plan's files as applied, but the target lacks objects they create:\n${missing.map((m) => `  ${m}`).join('\n')}`,
      'run `supabase db push` again, or remove those versions from the history (`supabase migration repair ' +
        '--status reverted <version>`) and run `supamigrate apply`',
    );
  }
  if (dryRun) {
    const now = new Date().toISOString();
    return [
      ...checkpoints,
      ...pushed.map((s, i) => ({
        seq: -1 - i,
        stepId: s.id,
        phase: s.phase,
        kind: s.kind,
        checksum: s.checksum,
        down: s.down,
        file: s.file,
        appliedAt: now,
        up: s.body,
        state: s.state ?? null,
      })),
    ];
  }
  await db.transaction(async (tx) => {
    for (const s of pushed) await recordCheckpoint(tx, asPlanned(s));
  });
  return readCheckpoints(db);
}
