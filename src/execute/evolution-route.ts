import type { Db } from '../db';
import { UserError } from '../errors';
import { type EvolutionPlan, type EvolutionStep, type RecordedStep, withValidateRow } from '../plan/evolve';
import type { LoadedEvolution } from './evolution-files';

/**
 * Which committed evolution files a target needs, from what it recorded. A target with no plan
 * checkpoints is fresh (its plan files already hold the newest revision: the evolutions are only
 * recorded as covered). Otherwise each evolution the target does not reflect yet is run, or,
 * when Supabase's history lists its version (`supabase db push` ran it), adopted: its
 * checkpoint rows are written and nothing runs. Pure.
 */
export function routeEvolutions(
  recorded: RecordedStep[],
  files: LoadedEvolution[],
  history: ReadonlySet<string>,
): EvolutionPlan | null {
  if (recorded.length === 0) return null;
  const rows = new Map(recorded.map((r) => [r.id, r.checksum]));
  const known = new Map(recorded.map((r) => [r.id, r]));
  const steps: EvolutionStep[] = [];
  const refused: EvolutionPlan['refused'] = [];
  const blocked: EvolutionPlan['blocked'] = [];
  let revision: string | null = null;
  for (const e of files.slice(doneUpTo(files, rows, history))) {
    if (reflects(e, rows)) continue;
    const adopted = history.has(e.version);
    // In the history but not all recorded: pushed by the CLI, or its transaction committed and a
    // non-transactional step after it failed. What is recorded is done; the rest is to do.
    const todo = adopted ? e.steps.filter((s) => !stepReflected(s, rows)) : e.steps;
    requireStart({ ...e, steps: todo }, rows);
    // What `supabase db push` already ran cannot be refused any more; what apply would run can.
    if (!adopted) refused.push(...e.refused);
    if (!adopted) blocked.push(...e.blocked);
    for (const s of todo) {
      // Idempotent (IF NOT EXISTS, VALIDATE): run again rather than trust that a push finished it.
      const step = withValidateRow(asStep(e, s, adopted && !s.nonTransactional), known);
      steps.push(step);
      track(step, rows, known);
    }
    revision = e.to;
  }
  return revision === null ? null : { revision, steps, refused, blocked };
}

/** The rows (checksums, and whole rows) as the target will hold them once `step` ran. */
function track(step: EvolutionStep, rows: Map<string, string>, known: Map<string, RecordedStep>): void {
  for (const c of step.changes) if (c.before) rows.delete(c.before.id);
  for (const c of step.changes) if (c.before) known.delete(c.before.id);
  for (const c of step.changes) if (c.after) rows.set(c.after.id, c.after.checksum);
  for (const c of step.changes) if (c.after) known.set(c.after.id, c.after);
  const made = step.create;
  if (!made) return;
  rows.set(step.id, made.checksum);
  const seq = Math.max(0, ...[...known.values()].map((r) => r.seq)) + 1;
  const up = step.sql;
  known.set(step.id, { seq, id: step.id, ...made, up, down: step.reverse, state: made.state ?? null });
}

/**
 * How many evolutions (oldest first) the target is past: up to the newest one that its history
 * lists and its rows reflect. The ones before it are done even where their rows no longer show it:
 * a later evolution changed or removed what they created, and checking them alone would run or
 * adopt them again.
 */
function doneUpTo(files: LoadedEvolution[], rows: Map<string, string>, history: ReadonlySet<string>): number {
  for (let k = files.length - 1; k >= 0; k--)
    if (history.has(files[k].version) && reflects(files[k], rows)) return k + 1;
  return 0;
}

/** Whether the recorded rows already are what the evolution leaves behind. */
function reflects(e: LoadedEvolution, rows: Map<string, string>): boolean {
  return e.steps.every((s) => stepReflected(s, rows));
}

function stepReflected(s: LoadedEvolution['steps'][number], rows: Map<string, string>): boolean {
  if (s.role === 'plan') return rows.get(s.id) === (s.records ?? s.checksum);
  return (s.changes ?? []).every((c) =>
    c.after ? rows.get(c.after.id) === c.after.checksum : !c.before || rows.get(c.before.id) !== c.before.checksum,
  );
}

function requireStart(e: LoadedEvolution, rows: Map<string, string>): void {
  for (const s of e.steps) {
    for (const c of s.changes ?? []) {
      if (!c.before || rows.get(c.before.id) === c.before.checksum) continue;
      throw new UserError(
        `${e.file}: the target is not at the revision this evolution starts from (${e.from}): ` +
          `${c.before.id} is ${rows.has(c.before.id) ? 'recorded with another definition' : 'not recorded'}`,
        'apply the plan committed before this evolution first (check out that commit and run `supamigrate ' +
          'apply`), or roll the target back (`supamigrate rollback --to <checkpoint>`)',
      );
    }
  }
}

function asStep(e: LoadedEvolution, s: LoadedEvolution['steps'][number], adopted: boolean): EvolutionStep {
  const base = {
    sql: s.sql,
    reverse: s.down,
    destructive: s.destructive ?? [],
    ...(adopted ? { adopted } : {}),
    ...(s.nonTransactional ? { nonTransactional: s.nonTransactional } : {}),
  };
  if (s.role === 'plan') {
    return {
      ...base,
      id: s.id,
      action: 'create',
      target: s.id,
      summary: `apply ${s.id} (${e.file})`,
      changes: [],
      create: {
        phase: s.phase,
        kind: s.kind,
        checksum: s.records ?? s.checksum,
        file: e.file,
        ...(s.state ? { state: s.state } : {}),
      },
    };
  }
  return {
    ...base,
    id: s.id,
    action: s.action ?? 'alter',
    target: s.target ?? s.id,
    summary: s.summary ?? s.id,
    changes: s.changes ?? [],
  };
}

/** Versions in Supabase's migration history (empty when the table does not exist). */
export async function migrationHistory(db: Db): Promise<Set<string>> {
  const exists = await db.query<{ ok: boolean }>(
    `select to_regclass('supabase_migrations.schema_migrations') is not null as ok`,
  );
  if (!exists.rows[0]?.ok) return new Set();
  const r = await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations');
  return new Set(r.rows.map((row) => row.version));
}

/** Records evolution files in Supabase's history, so that `supabase db push` never runs them again. */
export async function recordEvolutionVersions(tx: Db, files: LoadedEvolution[]): Promise<void> {
  for (const e of files) {
    const name = /\/\d+_([^/]+)\.sql$/.exec(e.file)?.[1] ?? e.file;
    await tx.query(
      'insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3) on ' +
        'conflict (version) do nothing',
      [e.version, e.steps.map((s) => s.sql), name],
    );
  }
}

/** How long an evolution statement waits for a lock before the transaction is tried again. */
export const LOCK_WAIT_MS = 5000;
const LOCK_ATTEMPTS = 4;

/** Runs fn again (up to 4 times, 1 s, 2 s, 4 s apart) when it failed on lock_timeout (55P03). */
export async function withLockRetries<T>(
  fn: () => Promise<T>,
  pause = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: string }).code !== '55P03' || attempt >= LOCK_ATTEMPTS) throw err;
      await pause(1000 * 2 ** (attempt - 1));
    }
  }
}
