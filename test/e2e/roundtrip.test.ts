import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { refreshSnapshot } from '../../src/commands/introspect';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { rollbackProject } from '../../src/commands/rollback';
import { statusProject } from '../../src/commands/status';
import { validateProject } from '../../src/commands/validate';
import { closeNamedPglite, withDb } from '../../src/db';
import { introspect, snapshotToJson } from '../../src/introspect';
import { loadSpec } from '../../src/spec';
import { freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';
import { loadSource } from '../helpers/sources';
import { keepEmbeddingArrays } from '../helpers/spec';

const readTree = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p.slice(dir.length + 1)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
};

const cases = TARGETS.flatMap((kind) => (['toolboxai', 'chinook', 'exotic'] as const).map((source) => [source, kind] as const));

describe.each(cases)('round trip of %s on %s', (sourceName, kind) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  beforeAll(async () => {
    source = await freshDatabase(kind, 'src');
    target = await freshDatabase(kind, 'tgt');
    await loadSource(source.url, sourceName);
    dir = mkdtempSync(join(tmpdir(), 'sm-roundtrip-'));
  });
  afterAll(async () => {
    await source.drop();
    await target.drop();
    await closeNamedPglite();
  });

  // Bootstrap runs as the admin; everything else as the target's owner, who is not a superuser
  // on the server, because on Supabase migrations run as the non-superuser `postgres`.
  const spec = () => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });

  it('init writes a spec that loads, and the snapshot', async () => {
    const r = await initProject({ source: source.url, dir, name: sourceName });
    keepEmbeddingArrays(join(dir, 'migration.yaml'));
    expect(r.analysis.summary.tables).toBeGreaterThanOrEqual(11);
    expect(spec().name).toBe(sourceName);
  });

  it('plans the same bytes twice, and plan --check then finds nothing to change', async () => {
    planProject(spec());
    const first = readTree(dir);
    const again = planProject(spec());
    expect(again.changed).toEqual([]);
    expect(readTree(dir)).toEqual(first);
    expect(planProject(spec(), { check: true }).changed).toEqual([]);
    // A fresh introspection of the unchanged source gives the same snapshot bytes.
    const snap = await refreshSnapshot(spec());
    expect(snap.written).toBe(false);
  });

  it('applies to a bootstrapped target that then matches the source', async () => {
    await bootstrapTarget(target.url);
    const before = await withDb(target.ownerUrl, (db) => introspect(db));
    const applied = await applyProject(spec());
    expect(applied.error).toBeNull();
    expect(applied.executed).toBe(applied.steps.length);
    const v = await validateProject(spec());
    expect(v.schema?.differences).toEqual([]);
    expect(v.data?.tables.filter((t) => !t.ok)).toEqual([]);
    if (sourceName !== 'exotic') expect(v.data?.tables.reduce((n, t) => n + t.targetRows, 0)).toBeGreaterThan(0);
    expect(before.tables).toEqual([]);
  });

  it('a second apply executes nothing', async () => {
    const again = await applyProject(spec());
    expect(again).toMatchObject({ ok: true, executed: 0 });
    const status = await statusProject(spec());
    expect(status.pending).toBe(0);
    expect(status.applied).toBe(again.skipped);
  });

  it('rollback --all returns the target to its bootstrapped state', async () => {
    const bootstrapped = await withDb(target.url, async (db) => {
      const s = await introspect(db);
      return s;
    });
    expect(bootstrapped.tables.length).toBeGreaterThan(0);
    const r = await rollbackProject(spec(), { all: true });
    expect(r).toMatchObject({ ok: true, remaining: 0 });
    const after = await withDb(target.url, (db) => introspect(db));
    const fresh = await freshDatabase(kind, 'boot');
    try {
      await bootstrapTarget(fresh.url);
      const reference = await withDb(fresh.url, (db) => introspect(db));
      expect(snapshotToJson({ ...after, schemas: [] })).toEqual(snapshotToJson({ ...reference, schemas: [] }));
      expect(after.schemas.map((s) => s.name)).toEqual(reference.schemas.map((s) => s.name));
      const extensions = await withDb(target.url, (db) => db.query<{ extname: string }>(`select extname from pg_extension where extname <> 'plpgsql' order by 1`));
      expect(extensions.rows).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });
});
