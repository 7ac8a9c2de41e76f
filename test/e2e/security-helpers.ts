import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshSnapshot } from '../../src/commands/introspect';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { loadSpec } from '../../src/spec';
import type { Spec } from '../../src/spec/types';
import { freshDatabase, type FreshDatabase, type TargetKind } from '../helpers/databases';
import { EXAMPLE_DIR, loadSource } from '../helpers/sources';

export interface AppliedExample {
  spec: Spec;
  source: FreshDatabase;
  target: FreshDatabase;
  drop(): Promise<void>;
}

/** A PGlite target in a folder, so that another process (the CLI) can open it too. */
function folderTarget(): FreshDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'sm-sectgt-'));
  return { url: `pglite://${dir}`, ownerUrl: `pglite://${dir}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** The shipped example, introspected, planned, bootstrapped and applied (data included). */
export async function applyExample(kind: TargetKind, opts: { shareable?: boolean } = {}): Promise<AppliedExample> {
  const source = await freshDatabase(kind, 'secsrc');
  const target = opts.shareable && kind === 'pglite' ? folderTarget() : await freshDatabase(kind, 'sectgt');
  await loadSource(source.url, 'toolboxai');
  const dir = mkdtempSync(join(tmpdir(), 'sm-security-'));
  const example = readFileSync(join(EXAMPLE_DIR, 'migration.yaml'), 'utf8');
  writeFileSync(join(dir, 'migration.yaml'), example.replace(/^data:/m, 'options:\n  enable_vector_migration: false\n\ndata:'));
  copyFileSync(join(EXAMPLE_DIR, 'openapi.yaml'), join(dir, 'openapi.yaml'));
  // The example's embeddings stay arrays here: the local server has no pgvector, and the vector
  // plan (its own schema-parity allowances included) is tested in test/e2e/vectors*.
  const spec = loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });
  await refreshSnapshot(spec);
  planProject(spec);
  await bootstrapTarget(target.url);
  const applied = await applyProject(spec);
  if (applied.error) throw new Error(`apply failed: ${JSON.stringify(applied.error)}`);
  return { spec, source, target, drop: async () => { await source.drop(); await target.drop(); } };
}
