import { parseSpec, SpecError } from '../../../src/spec';

const head = 'version: 1\nname: app\n';

function problems(yaml: string): string[] {
  try {
    parseSpec(head + yaml, '/p/migration.yaml', {});
  } catch (err) {
    if (err instanceof SpecError) return err.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('storage: in migration.yaml', () => {
  it('maps buckets, sizes, access and sources onto the checked spec', () => {
    const spec = parseSpec(`${head}storage:
  parallel: 8
  buckets:
    - name: docs
      file_size_limit: 1.5MB
      allowed_mime_types: [image/*, application/pdf]
      access:
        - owner_folder: true
        - tenant_folder: {}
          operations: [select]
      sources:
        - column: public.files.path
          base_dir: up
          strip_components: 2
          rewrite: true
        - directory: legacy
    - name: pics
      access: [{ public_read: true }]
      sources: [{ directory: pics, prefix: old/ }]
`, '/p/migration.yaml', {});
    expect(spec.storage).toEqual({
      parallel: 8,
      buckets: [
        {
          name: 'docs', public: false, fileSizeLimit: 1572864, allowedMimeTypes: ['application/pdf', 'image/*'], cacheControlSeconds: 3600,
          access: [
            { kind: 'owner_folder', operations: ['delete', 'insert', 'select', 'update'], roles: ['authenticated'] },
            { kind: 'tenant_folder', claim: ['app_metadata', 'tenant_id'], operations: ['select'], roles: ['authenticated'] },
          ],
          sources: [
            { kind: 'column', schema: 'public', table: 'files', column: 'path', baseDir: 'up', under: null, stripComponents: 2, rewrite: true },
            { kind: 'directory', directory: 'legacy', prefix: '' },
          ],
        },
        {
          name: 'pics', public: true, fileSizeLimit: null, allowedMimeTypes: null, cacheControlSeconds: 3600,
          access: [{ kind: 'public_read', operations: ['select'], roles: ['anon', 'authenticated'] }],
          sources: [{ kind: 'directory', directory: 'pics', prefix: 'old/' }],
        },
      ],
    });
  });

  it('reports every storage problem at once, with its line and key', () => {
    expect(problems(`storage:
  buckets:
    - name: docs
      file_size_limit: 10 parsecs
      access:
        - owner_folder: true
          public_read: true
        - public_read: true
          operations: [insert]
      sources:
        - directory: /srv/uploads
        - column: public.files.path
        - directory: a
          column: public.files.path
    - name: docs
      public: false
      access: [{ public_read: true }]
      sources: [{ directory: b, rewrite: true }]
    - name: bad/name
      sources: [{ directory: c }]
`)).toEqual([
      '6:24 storage.buckets[0].file_size_limit: "10 parsecs" is not a whole number',
      '8:11 storage.buckets[0].access[0]: names 2 access patterns (owner_folder, public_read)',
      '11:23 storage.buckets[0].access[1].operations: public_read only reads, but operations list insert',
      '13:22 storage.buckets[0].sources[0].directory: "/srv/uploads" is an absolute path',
      '14:11 storage.buckets[0].sources[1]: a column source needs base_dir',
      '15:11 storage.buckets[0].sources[2]: names both a directory and a column',
      '17:13 storage.buckets[1].name: bucket "docs" is also storage.buckets[0]',
      '19:16 storage.buckets[1].access[0]: public_read on a bucket with public: false',
      '20:33 storage.buckets[1].sources[0].rewrite: rewrite applies to column sources only',
      '21:13 storage.buckets[2].name: "bad/name" is not valid',
    ]);
  });
});
