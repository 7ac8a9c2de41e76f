import type { Db } from '../db';
import { introspectInTransaction } from '../introspect';
import { compareFingerprints, type DriftItem, ownedObjects } from '../compare/drift';
import { schemaObjects } from '../compare/schema';

/**
 * The fingerprint: every object the plan owns, as the target had it when the last apply or
 * rollback finished. Drift is the difference between it and the target now.
 */
async function ensureFingerprintTable(db: Db): Promise<void> {
  await db.exec(`
    create schema if not exists supamigrate;
    create table if not exists supamigrate.fingerprint (object text primary key, definition text not null);
  `);
}

async function currentObjects(tx: Db): Promise<Map<string, string>> {
  const ids = await tx.query<{ step_id: string }>(
    `select step_id from supamigrate.checkpoints where kind <> 'evolution' order by seq`,
  );
  return ownedObjects(
    schemaObjects(await introspectInTransaction(tx)),
    ids.rows.map((r) => r.step_id),
  );
}

/** Records the fingerprint of a target at rest, replacing the previous one. */
export async function recordFingerprint(db: Db): Promise<void> {
  await ensureFingerprintTable(db);
  await db.transaction(async (tx) => {
    const objects = await currentObjects(tx);
    await tx.query('delete from supamigrate.fingerprint');
    for (const [object, definition] of objects)
      await tx.query('insert into supamigrate.fingerprint (object, definition) values ($1, $2)', [object, definition]);
  });
}

/** An apply that executes something invalidates the fingerprint until it records a new one. */
export async function forgetFingerprint(db: Db): Promise<void> {
  const exists = await db.query<{ ok: boolean }>(`select to_regclass('supamigrate.fingerprint') is not null as ok`);
  if (exists.rows[0]?.ok) await db.query('delete from supamigrate.fingerprint');
}

export interface DriftResult {
  /** False when no fingerprint is recorded (never applied, or the last apply did not finish). */
  checked: boolean;
  items: DriftItem[];
}

export async function detectDrift(db: Db): Promise<DriftResult> {
  const exists = await db.query<{ ok: boolean }>(
    `select to_regclass('supamigrate.fingerprint') is not null and to_regclass('supamigrate.checkpoints') is not null as ok`,
  );
  if (!exists.rows[0]?.ok) return { checked: false, items: [] };
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ object: string; definition: string }>(
      'select object, definition from supamigrate.fingerprint order by object',
    );
    if (rows.rows.length === 0) return { checked: false, items: [] };
    const recorded = new Map(rows.rows.map((r) => [r.object, r.definition]));
    return { checked: true, items: compareFingerprints(recorded, await currentObjects(tx)) };
  });
}
