import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/analyze';
import { renderAnalysis } from '../../src/cli/render/analysis';
import { renderInitSpec } from '../../src/init';
import { introspect, type Snapshot } from '../../src/introspect';
import { freshDatabase, TARGETS, withDb } from '../helpers/databases';

const SCHEMA_SQL = join(__dirname, '../../migrations.example/toolboxai/source/schema.sql');

/** The shipped example loaded into real Postgres and introspected: analysis on a snapshot nobody hand-built. */
async function exampleSnapshot(kind: (typeof TARGETS)[number]): Promise<Snapshot> {
  const fresh = await freshDatabase(kind, 'analyze');
  try {
    return await withDb(fresh.url, async (db) => {
      await db.exec(readFileSync(SCHEMA_SQL, 'utf8'));
      return introspect(db);
    });
  } finally {
    await fresh.drop();
  }
}

describe.each(TARGETS)('analysis of the example on %s', (kind) => {
  let snapshot: Snapshot;
  beforeAll(async () => {
    snapshot = await exampleSnapshot(kind);
  });

  it('sees a platform with school tenants, owners, embeddings as arrays and file paths', () => {
    const a = analyze(snapshot);
    const tenant = a.patterns.filter((p) => p.kind === 'tenant' && p.columns[0] === 'school_id');
    expect(tenant.length).toBeGreaterThanOrEqual(5);
    expect(tenant.every((p) => p.confidence === 'high')).toBe(true);
    expect(tenant[0].evidence).toBe(`tenant column school_id found in ${tenant.length} tables (school_id -> public.schools)`);
    expect(a.patterns).toContainEqual(expect.objectContaining({ kind: 'users-table', table: 'public.users', confidence: 'high' }));
    expect(a.patterns).toContainEqual(expect.objectContaining({ kind: 'embedding', table: 'public.content_embeddings', columns: ['embedding'] }));
    expect(a.patterns).toContainEqual(expect.objectContaining({ kind: 'file-path', table: 'public.lesson_resources', columns: ['storage_path'] }));
    expect(a.patterns).toContainEqual(expect.objectContaining({ kind: 'owner', table: 'public.enrollments', columns: ['user_id'], confidence: 'high' }));
    expect(a.complexity.tier).toBe('platform');
  });

  it('reports the public.users collision and the embedding arrays as risks', () => {
    const codes = analyze(snapshot).risks.map((r) => `${r.code} ${r.object}`);
    expect(codes).toContain('public-users-table public.users');
    expect(codes).toContain('embedding-array public.content_embeddings.embedding');
  });

  it('orders every table after the tables it references', () => {
    const r = analyze(snapshot).relationships;
    const deferred = new Set(r.deferredEdges.map((e) => e.constraint));
    for (const e of r.edges) {
      if (!r.loadOrder.includes(e.to) || deferred.has(e.constraint)) continue;
      expect(r.loadOrder.indexOf(e.to)).toBeLessThan(r.loadOrder.indexOf(e.from));
    }
    expect(r.loadOrder).toHaveLength(snapshot.tables.length);
  });

  it('renders the report and the init spec', () => {
    const a = analyze(snapshot);
    expect(renderAnalysis(a)).toContain(`Complexity: ${a.complexity.score} points, tier platform`);
    const yaml = renderInitSpec(snapshot, a, { name: 'toolboxai', sourceUrlExpr: '${SOURCE_DATABASE_URL}', targetUrlExpr: '${SUPABASE_DB_URL}' });
    // init writes the security section live: the tenant column the example's tables share.
    expect(yaml).toContain('# tenant column school_id found in 8 tables (school_id -> public.schools)');
    expect(yaml).toContain('- tenant: { column: school_id }');
  });
});
