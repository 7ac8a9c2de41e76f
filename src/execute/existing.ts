import type { Db } from '../db';
import { UserError } from '../errors';
import { introspectInTransaction } from '../introspect';
import { ident } from '../sql';
import { ownedObjects } from '../compare/drift';
import { schemaObjects } from '../compare/schema';
import type { ExecutableStep } from './executable';

/** What apply does with an object the plan would create that the target already holds. */
export type ExistingTreatment = 'stop' | 'adopt_when_equal' | 'skip';

export interface ExistingPolicy {
  default: ExistingTreatment;
  /** Per step id (as `apply` names them), overriding the default. */
  objects: Record<string, ExistingTreatment>;
}

export interface ExistingObject {
  stepId: string;
  treatment: ExistingTreatment;
}

export const STOP_ON_EXISTING: ExistingPolicy = { default: 'stop', objects: {} };

/** duplicate_table, duplicate_function, duplicate_object, duplicate_schema. */
const DUPLICATE = new Set(['42P07', '42723', '42710', '42P06']);
const SAVEPOINT = 'supamigrate_existing';
const ASIDE = 'supamigrate_adopt_check';
const ROLLBACK = Symbol('existing-check');

/** How a step's object is moved aside to build the plan's own version next to nothing. */
const MOVABLE: Record<string, string> = {
  table: 'table',
  view: 'view',
  'materialized-view': 'materialized view',
  sequence: 'sequence',
  enum: 'type',
  composite: 'type',
  domain: 'domain',
  function: 'function',
  procedure: 'procedure',
};

/**
 * Before the first step, under the apply lock: runs the pending schema steps in a transaction
 * that is rolled back and notes every one that collides with an object already on the target.
 * Postgres decides what collides (the same duplicate errors the real run would hit). Nothing the
 * target holds changes. Stops with every name unless the spec says how to treat them; returns
 * the steps apply records without running (the object stays the target's; rollback leaves it).
 */
export async function checkExisting(
  db: Db,
  pending: ExecutableStep[],
  policy: ExistingPolicy,
): Promise<Map<string, ExistingObject>> {
  const steps = pending.filter((s) => s.phase !== 'data');
  // Objects are created in pre-data; only when one of them collides are the later steps tried too
  // (keys, indexes and policies of an existing table). A later step that collides on its own
  // (an index named like someone's table) still fails loudly at its turn: nothing is replaced.
  const early = steps.filter((s) => s.phase === 'pre-data');
  if (early.length === 0 || (await rolledBack(db, (tx) => collisions(tx, early))).length === 0) return new Map();
  const colliding = await rolledBack(db, (tx) => collisions(tx, steps));
  const treat = (id: string): ExistingTreatment => policy.objects[id] ?? policy.default;
  const stopped = colliding.filter((id) => treat(id) === 'stop');
  if (stopped.length > 0) {
    throw new UserError(
      `the target already holds ${stopped.length} object(s) the plan would create; apply stops before any step and changes nothing:\n${stopped.map((id) => `  ${id}`).join('\n')}`,
      'drop or rename them on the target if they are leftovers, or say in migration.yaml how to treat them: ' +
        '`target.existing_objects: adopt_when_equal` (keep them when they equal what the plan creates) or `skip` ' +
        '(keep them as they are), for all or per step id under `target.existing_objects.objects`',
    );
  }
  const adopt = colliding.filter((id) => treat(id) === 'adopt_when_equal');
  if (adopt.length > 0) {
    const unequal = await rolledBack(db, (tx) => differing(tx, steps, adopt));
    if (unequal.length > 0) {
      throw new UserError(
        `the target already holds ${unequal.length} object(s) that differ from what the plan creates, so they cannot be adopted; apply stops before any step:\n${unequal.map((u) => `  ${u}`).join('\n')}`,
        'make them equal to the source (or drop them) on the target, or treat them with `skip` under ' +
          '`target.existing_objects.objects`',
      );
    }
  }
  return new Map(colliding.map((id) => [id, { stepId: id, treatment: treat(id) }]));
}

/** Runs each step under a savepoint; the ids of those that hit a duplicate object. */
async function collisions(tx: Db, steps: ExecutableStep[]): Promise<string[]> {
  const hits: string[] = [];
  for (const s of steps) {
    await tx.exec(`savepoint ${SAVEPOINT}`);
    try {
      await tx.exec(s.body);
      await tx.exec(`release savepoint ${SAVEPOINT}`);
    } catch (err) {
      await tx.exec(`rollback to savepoint ${SAVEPOINT}`);
      if (DUPLICATE.has((err as { code?: string }).code ?? '')) hits.push(s.id);
    }
  }
  return hits;
}

/**
 * Moves each existing object aside, builds the plan's version in its place, and compares the two
 * as drift detection compares them (a table with its columns, keys, indexes, triggers, policies).
 * A step that still collides once its objects are aside collides with something else: not equal.
 */
async function differing(tx: Db, steps: ExecutableStep[], adopt: string[]): Promise<string[]> {
  const before = schemaObjects(await introspectInTransaction(tx));
  await tx.exec(`create schema ${ident(ASIDE)}`);
  const moved = adopt.filter((id) => MOVABLE[kindOf(id)] !== undefined);
  for (const id of moved) await tx.exec(`alter ${MOVABLE[kindOf(id)]} ${objectName(id)} set schema ${ident(ASIDE)}`);
  const still = new Set(await collisions(tx, steps));
  const after = schemaObjects(await introspectInTransaction(tx));
  const unequal: string[] = [];
  for (const id of adopt) {
    if (still.has(id)) {
      unequal.push(`${id}: collides with an object of another kind or name`);
      continue;
    }
    if (!moved.includes(id)) continue; // a schema, or a key/index/policy of an adopted relation
    const mine = ownedObjects(after, [id]);
    const theirs = ownedObjects(before, [id]);
    const keys = [...new Set([...mine.keys(), ...theirs.keys()])].sort();
    const diff = keys.filter((k) => mine.get(k) !== theirs.get(k));
    if (mine.size === 0) unequal.push(`${id}: cannot be compared`);
    else if (diff.length > 0) unequal.push(`${id}: differs in ${diff.join(', ')}`);
  }
  return unequal;
}

function kindOf(stepId: string): string {
  return stepId.slice(0, stepId.indexOf(':'));
}

/** `schema.name` or `schema.name(args)` of a step id, quoted for an ALTER statement. */
function objectName(stepId: string): string {
  const rest = stepId.slice(stepId.indexOf(':') + 1);
  const dot = rest.indexOf('.');
  const paren = rest.indexOf('(');
  const name = paren < 0 ? rest.slice(dot + 1) : rest.slice(dot + 1, paren);
  return `${ident(rest.slice(0, dot))}.${ident(name)}${paren < 0 ? '' : rest.slice(paren)}`;
}

async function rolledBack<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  let out: T | undefined;
  try {
    await db.transaction(async (tx) => {
      await tx.query(`select pg_catalog.set_config('check_function_bodies', 'off', true)`);
      out = await fn(tx);
      throw ROLLBACK;
    });
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  }
  return out as T;
}
