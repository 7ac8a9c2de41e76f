import { planStorage, type StorageInventory } from '../../../src/plan/storage';
import { parseSpec } from '../../../src/spec';
import { emptySnapshot } from '../../helpers/snapshot';

const yaml = `version: 1
name: app
storage:
  buckets:
    - name: docs
      file_size_limit: 1KB
      allowed_mime_types: [application/pdf, image/*]
      access:
        - owner_folder: true
        - authenticated_read: true
      sources:
        - column: public.files.path
          base_dir: up
          under: uploads
          strip_components: 1
          rewrite: true
    - name: pics
      access:
        - public_read: true
        - tenant_folder: {}
          operations: [insert]
      sources:
        - directory: legacy
          prefix: old/
`;

const U1 = '11111111-1111-4111-8111-111111111111';
const inventory: StorageInventory = {
  'up/uploads': [
    { path: `${U1}/café.pdf`, size: 10, sha256: 'a'.repeat(64), md5: 'b'.repeat(32) },
    { path: `${U1}/cafe.pdf`, size: 11, sha256: 'c'.repeat(64), md5: 'd'.repeat(32) },
    { path: `${U1}/big.pdf`, size: 4096, sha256: 'e'.repeat(64), md5: 'f'.repeat(32) },
    { path: `${U1}/run.exe`, size: 5, sha256: '0'.repeat(64), md5: '1'.repeat(32) },
  ],
  legacy: [{ path: 'x/y.png', size: 3, sha256: '2'.repeat(64), md5: '3'.repeat(32) }],
};

function snapshot() {
  const s = emptySnapshot();
  return {
    ...s,
    tables: [{ schema: 'public', name: 'files', kind: 'r', columns: [{ name: 'path' }], constraints: [], indexes: [] }],
  } as unknown as typeof s;
}

describe('planStorage', () => {
  const spec = parseSpec(yaml, '/p/migration.yaml', {});

  it('writes bucket rows and merged storage.objects policies in the fast form', () => {
    const plan = planStorage(spec, snapshot(), inventory);
    expect(plan.steps.map((s) => s.id)).toEqual([
      'storage:bucket:docs',
      'storage:policy:docs.select.authenticated',
      'storage:policy:docs.insert.authenticated',
      'storage:policy:docs.update.authenticated',
      'storage:policy:docs.delete.authenticated',
      'storage:bucket:pics',
      'storage:policy:pics.insert.authenticated',
    ]);
    expect(plan.steps[0].sql).toBe(
      "insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)\nvalues ('docs', 'docs', false, 1024, array['application/pdf', 'image/*']::text[])\non conflict (id) do update set public = excluded.public, file_size_limit = excluded.file_size_limit,\n  allowed_mime_types = excluded.allowed_mime_types;\n",
    );
    // authenticated_read opens the whole bucket for select, so owner_folder adds nothing there.
    expect(plan.steps[1].sql).toBe('create policy "docs: authenticated can select" on storage.objects\n  as permissive\n  for select\n  to authenticated\n  using (bucket_id = \'docs\');\n');
    expect(plan.steps[3].sql).toContain("using (bucket_id = 'docs' and ((storage.foldername(name))[1] = (select auth.uid())::text))");
    expect(plan.steps[3].sql).toContain("with check (bucket_id = 'docs' and ((storage.foldername(name))[1] = (select auth.uid())::text))");
    expect(plan.steps[6].sql).toContain("with check (bucket_id = 'pics' and ((storage.foldername(name))[1] = ((select auth.jwt()) -> 'app_metadata' ->> 'tenant_id')))");
    expect(plan.steps[5].sql).toContain("values ('pics', 'pics', true, null, null)");
    expect(plan.steps[3].down).toBe('drop policy "docs: authenticated can update" on storage.objects;\n');
  });

  it('writes a manifest with mapped keys, owners, rewrites and refusals', () => {
    const plan = planStorage(spec, snapshot(), inventory);
    const docs = JSON.parse(plan.files[0].content);
    expect(plan.files.map((f) => f.path)).toEqual(['.supamigrate/storage/docs.json', '.supamigrate/storage/pics.json']);
    const byName = Object.fromEntries(docs.objects.map((o: { originalName: string }) => [o.originalName, o]));
    expect(byName[`uploads/${U1}/cafe.pdf`].key).toBe(`${U1}/cafe.pdf`);
    expect(byName[`uploads/${U1}/café.pdf`].key).toMatch(new RegExp(`^${U1}/cafe_[0-9a-f]{8}\\.pdf$`));
    expect(byName[`uploads/${U1}/café.pdf`].owner).toBe(U1);
    expect(byName[`uploads/${U1}/café.pdf`].rewrite).toEqual({ schema: 'public', table: 'files', column: 'path', from: `uploads/${U1}/café.pdf` });
    expect(byName[`uploads/${U1}/big.pdf`].refused).toBe("4096 bytes is over the bucket's file_size_limit of 1024");
    expect(byName[`uploads/${U1}/run.exe`].refused).toBe("application/vnd.microsoft.portable-executable is not in the bucket's allowed_mime_types");
    const pics = JSON.parse(plan.files[1].content);
    expect(pics.objects).toEqual([{ key: 'old/x/y.png', size: 3, sha256: '2'.repeat(64), md5: '3'.repeat(32), contentType: 'image/png', originalName: 'x/y.png', source: 'legacy/x/y.png', owner: null, rewrite: null, refused: null }]);
    const transfer = JSON.parse(plan.transfers[0].sql);
    expect(transfer).toMatchObject({ bucket: 'docs', manifest: '.supamigrate/storage/docs.json', objects: 2, bytes: 21, refused: 2 });
    expect(plan.transfers[0].down).toContain('update "public"."files" t set "path" = o.source_value');
  });

  it('is deterministic: the same inputs in another order give the same bytes', () => {
    const a = planStorage(spec, snapshot(), inventory);
    const shuffled = { legacy: inventory.legacy, 'up/uploads': [...inventory['up/uploads']].reverse() };
    const b = planStorage(spec, snapshot(), shuffled);
    expect(b).toEqual(a);
  });

  it('refuses a column source the snapshot does not have', () => {
    const s = { ...snapshot(), tables: [] };
    expect(() => planStorage(spec, s, inventory)).toThrow(/column source public\.files\.path is not in the source snapshot/);
  });
});
