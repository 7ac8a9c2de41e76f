import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyProject } from '../../src/commands/apply';
import { rollbackProject } from '../../src/commands/rollback';
import { validateProject } from '../../src/commands/validate';
import { closeNamedPglite, withDb } from '../../src/db';
import type { StorageManifest } from '../../src/plan/storage';
import { StorageHttpError } from '../../src/storage-server/errors';
import { describeEach, TARGETS } from '../helpers/databases';
import { storageExample, type StorageExample } from './storage-helpers';

jest.setTimeout(400_000);

const paths = (url: string) =>
  withDb(url, async (db) => [
    ...(await db.query<{ p: string }>('select file_path as p from public.documents order by id')).rows.map((r) => r.p),
    ...(await db.query<{ p: string | null }>('select avatar_url as p from public.users order by id')).rows.map(
      (r) => r.p,
    ),
  ]);

const ourObjects = (url: string) =>
  withDb(
    url,
    async (db) =>
      (
        await db.query<{ n: string }>(
          "select count(*)::text as n from storage.objects where bucket_id in ('avatars', 'documents')",
        )
      ).rows[0].n,
  );

/** One object the server refuses among the ~300 of a bucket: the step fails whole and rolls back whole. */
describeEach(TARGETS, 'storage: a failed transfer step rolls back whole (%s)', (kind) => {
  let ex: StorageExample;
  let refuse: string | null = null;
  beforeAll(async () => {
    ex = await storageExample(kind, undefined, (u) =>
      u.key === refuse
        ? new StorageHttpError('403', 'Unauthorized', 'AccessDenied', 'new row violates row-level security policy')
        : null,
    );
    const docs = JSON.parse(
      readFileSync(join(ex.dir, '.supamigrate/storage/documents.json'), 'utf8'),
    ) as StorageManifest;
    // Past the middle of the bucket's objects, so plenty were uploaded and rewritten before it.
    refuse = docs.objects.filter((o) => o.refused === null)[200].key;
  });
  afterAll(async () => {
    await ex?.close();
    await closeNamedPglite();
  });

  it('fails the step, stops apply, and rollback --to / --all leave nothing of ours; a re-apply then validates', async () => {
    const source = await paths(ex.source.url);
    const failed = await applyProject(ex.spec);
    expect(failed.ok).toBe(false);
    const documents = failed.storage.find((b) => b.bucket === 'documents');
    expect(documents?.failed).toEqual([
      { key: refuse, source: expect.any(String), error: '[403] new row violates row-level security policy' },
    ]);
    expect(documents?.uploaded).toBeGreaterThan(200);
    expect(failed.steps.find((s) => s.id === 'storage:documents')?.status).toBe('failed');
    expect(
      failed.steps
        .slice(failed.steps.findIndex((s) => s.id === 'storage:documents') + 1)
        .every((s) => s.status === 'not-run'),
    ).toBe(true);

    const back = await rollbackProject(ex.spec, { to: 'storage:bucket:avatars' });
    expect(back.error).toBeNull();
    expect(back.undone.map((u) => u.id)).toContain('storage:documents');
    expect(await ourObjects(ex.target.url)).toBe('0');
    expect(await paths(ex.target.url)).toEqual(source);
    await withDb(ex.target.url, async (db) => {
      expect((await db.query('select 1 from supamigrate.storage_objects')).rows).toEqual([]);
    });

    // Fails again, then rollback --all: the buckets go too, as nothing is left in them.
    expect((await applyProject(ex.spec)).ok).toBe(false);
    const all = await rollbackProject(ex.spec, { all: true });
    expect(all.error).toBeNull();
    await withDb(ex.target.url, async (db) => {
      expect((await db.query("select id from storage.buckets where id in ('avatars', 'documents')")).rows).toEqual([]);
      expect(
        (await db.query("select name from storage.objects where bucket_id in ('avatars', 'documents')")).rows,
      ).toEqual([]);
    });

    // A re-apply starts clean: every object uploaded, every path rewritten, validate passes.
    refuse = null;
    const again = await applyProject(ex.spec);
    expect(again.error).toBeNull();
    expect(again.storage.every((b) => b.resumed === 0 && b.failed.length === 0)).toBe(true);
    const v = await validateProject(ex.spec, { storage: true });
    expect(v.storage?.buckets.every((b) => b.ok)).toBe(true);
    expect(v.ok).toBe(true);
  });
});
