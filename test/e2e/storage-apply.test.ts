import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyProject } from '../../src/commands/apply';
import { rollbackProject } from '../../src/commands/rollback';
import { validateProject } from '../../src/commands/validate';
import { closeNamedPglite, withDb } from '../../src/db';
import { specStorageApi } from '../../src/execute/storage';
import type { StorageManifest } from '../../src/plan/storage';
import { describeEach, TARGETS } from '../helpers/databases';
import { storageExample, type StorageExample } from './storage-helpers';

jest.setTimeout(240_000);

const manifestOf = (ex: StorageExample, bucket: string): StorageManifest =>
  JSON.parse(readFileSync(join(ex.dir, `.supamigrate/storage/${bucket}.json`), 'utf8')) as StorageManifest;

describeEach(TARGETS, 'storage: the example uploads through supabase-js to the stand-in (%s)', (kind) => {
  let ex: StorageExample;
  beforeAll(async () => {
    ex = await storageExample(kind);
  });
  afterAll(async () => {
    await ex?.close();
    await closeNamedPglite();
  });

  it('applies, every object arrives with its checksum, references point at objects, rollback removes them', async () => {
    const events: string[] = [];
    const result = await applyProject(ex.spec, { onStorage: (e) => events.push(`${e.type} ${e.key}`) });
    const docs = manifestOf(ex, 'documents');
    // The refused files are reported, and they are exactly the oversized one and the .exe.
    const refused = docs.objects.filter((o) => o.refused !== null);
    expect(refused.map((o) => o.key.split('/').pop()).sort()).toEqual(['installer.exe', expect.stringMatching(/\.(pdf|jpg|txt|docx|csv|pptx)$/)].sort());
    expect(result.ok).toBe(true);
    const api = specStorageApi(ex.spec);
    for (const bucket of ['documents', 'avatars']) {
      const m = manifestOf(ex, bucket);
      const expected = m.objects.filter((o) => o.refused === null);
      await withDb(ex.target.url, async (db) => {
        const rows = await db.query<{ name: string; size: string; owner_id: string | null; original: string | null }>(
          "select name, metadata ->> 'size' as size, owner_id, user_metadata ->> 'originalName' as original from storage.objects where bucket_id = $1 order by name collate \"C\"",
          [bucket],
        );
        expect(rows.rows.map((r) => r.name)).toEqual(expected.map((o) => o.key));
        for (const [i, r] of rows.rows.entries()) {
          expect(Number(r.size)).toBe(expected[i].size);
          expect(r.original).toBe(expected[i].originalName);
          expect(r.owner_id).toBe(expected[i].owner);
        }
      });
      // Download a few (the big ones too) and compare their sha256 with the manifest.
      for (const o of [...expected.filter((x) => x.size > 5 * 1024 * 1024), ...expected.slice(0, 5)]) {
        const { data, error } = await api.from(bucket).download(o.key);
        expect(error).toBeNull();
        const sha = createHash('sha256').update(Buffer.from(await (data as Blob).arrayBuffer())).digest('hex');
        expect(sha).toBe(o.sha256);
      }
    }
    // Non-ASCII names arrive under valid keys and keep their original name.
    expect(docs.objects.some((o) => o.originalName.includes('café-menü.pdf') && /cafe-menu\.pdf$/.test(o.key))).toBe(true);
    expect(docs.objects.some((o) => o.originalName.includes('日本語ノート.pdf') && /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]+$/.test(o.key))).toBe(true);
    // Every rewritten documents.file_path names an object that exists; the rows of refused files keep their path.
    await withDb(ex.target.url, async (db) => {
      const dangling = await db.query<{ n: string }>(
        `select count(*)::text as n from public.documents d where not exists (select 1 from storage.objects o where o.bucket_id = 'documents' and o.name = d.file_path)`,
      );
      expect(Number(dangling.rows[0].n)).toBe(refused.filter((o) => o.rewrite !== null && !o.key.endsWith('.exe')).length);
      const rows = await db.query<{ n: string }>('select count(*)::text as n from public.documents');
      expect(Number(rows.rows[0].n)).toBe(300);
    });
    // A second apply moves nothing.
    const again = await applyProject(ex.spec, { onStorage: (e) => events.push(`again ${e.type} ${e.key}`) });
    expect(again.ok).toBe(true);
    expect(again.executed).toBe(0);
    expect(events.filter((e) => e.startsWith('again'))).toEqual([]);
    // validate --storage: counts, sizes and checksums match; the policies do what the spec says.
    const v = await validateProject(ex.spec, { storage: true });
    expect(v.storage?.buckets.map((b) => [b.bucket, b.found, b.ok])).toEqual([
      ['avatars', manifestOf(ex, 'avatars').objects.length, true],
      ['documents', docs.objects.length - 2, true],
    ]);
    const cells = (v.storage?.access ?? []).map((c) => `${c.bucket} ${c.actor} ${c.operation} ${c.actual}`);
    expect(cells).toEqual([
      'avatars anon select true', 'avatars anon insert false',
      'avatars folder owner select true', 'avatars folder owner insert false',
      'avatars other user select true', 'avatars other user insert false',
      'documents anon select false', 'documents anon insert false',
      'documents folder owner select true', 'documents folder owner insert true',
      'documents other user select false', 'documents other user insert false',
    ]);
    expect(v.ok).toBe(true);
    // Data parity leaves out the rewritten columns, which differ from the source on purpose.
    expect((await validateProject(ex.spec, { data: true })).ok).toBe(true);
    // A lost object, a changed one and a widened policy are each caught.
    await withDb(ex.target.url, async (db) => {
      await db.exec(`update storage.objects set metadata = jsonb_set(metadata, '{eTag}', '"0"') where bucket_id = 'avatars' and name = (select min(name) from storage.objects where bucket_id = 'avatars')`);
      await db.exec(`delete from storage.objects where bucket_id = 'documents' and name = (select max(name) from storage.objects where bucket_id = 'documents')`);
      await db.exec(`create policy "temp: anyone reads documents" on storage.objects for select to anon using (bucket_id = 'documents')`);
    });
    const broken = await validateProject(ex.spec, { storage: true });
    expect(broken.ok).toBe(false);
    expect(broken.storage?.buckets.map((b) => [b.bucket, b.missing.length, b.wrongChecksum.length])).toEqual([['avatars', 0, 1], ['documents', 1, 0]]);
    expect(broken.storage?.access.filter((c) => c.expected !== c.actual).map((c) => `${c.bucket} ${c.actor} ${c.operation}`)).toEqual(['documents anon select']);
    await withDb(ex.target.url, (db) => db.exec(`drop policy "temp: anyone reads documents" on storage.objects`));
    // Rollback removes exactly what the engine uploaded and puts the old paths back.
    const before = await withDb(ex.source.url, (db) => db.query<{ p: string }>('select file_path as p from public.documents order by id'));
    await withDb(ex.target.url, (db) => db.exec("insert into storage.objects (bucket_id, name, metadata) values ('documents', 'someone-else/keep.txt', '{}')"));
    const undone = await rollbackProject(ex.spec, { to: 'storage:bucket:avatars' });
    expect(undone.error).toBeNull();
    expect(undone.ok).toBe(true);
    await withDb(ex.target.url, async (db) => {
      const left = await db.query<{ name: string }>("select name from storage.objects where bucket_id = 'documents' order by name");
      expect(left.rows.map((r) => r.name)).toEqual(['someone-else/keep.txt']);
      const after = await db.query<{ p: string }>('select file_path as p from public.documents order by id');
      expect(after.rows).toEqual(before.rows);
    });
  });
});
