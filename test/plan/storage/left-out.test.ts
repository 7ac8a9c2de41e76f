import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leftOutLines, storageFilesSummary, transferLines } from '../../../src/execute/storage/report';
import type { StorageManifest } from '../../../src/plan/storage';
import type { Spec } from '../../../src/spec/types';

const object = (key: string, size: number, refused: string | null) => ({
  key,
  size,
  sha256: 'x',
  md5: 'y',
  contentType: 'text/plain',
  originalName: key,
  source: `files/${key}`,
  owner: null,
  rewrite: null,
  refused,
});

describe('files left out, as plan, analyze and apply report them', () => {
  it('counts and lists them with their reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-leftout-'));
    try {
      mkdirSync(join(dir, '.supamigrate/storage'), { recursive: true });
      const m: StorageManifest = {
        bucket: 'docs',
        public: false,
        fileSizeLimit: 10,
        allowedMimeTypes: ['text/plain'],
        cacheControlSeconds: 60,
        objects: [
          object('a.txt', 5, null),
          object('big.txt', 50, "50 bytes is over the bucket's file_size_limit of 10"),
          object('x.exe', 5, "application/vnd.microsoft.portable-executable is not in the bucket's allowed_mime_types"),
          object('locked.txt', 0, 'unreadable at plan time: EACCES (EACCES)'),
        ],
      };
      writeFileSync(join(dir, '.supamigrate/storage/docs.json'), JSON.stringify(m));
      const spec = {
        dir,
        output: { stateDir: '.supamigrate' },
        storage: { buckets: [{ name: 'docs' }, { name: 'unplanned' }] },
      } as unknown as Spec;
      const s = storageFilesSummary(spec);
      expect(s.buckets).toEqual([{ bucket: 'docs', files: 1, bytes: 5, leftOut: 3 }]);
      expect(s.leftOut.map((l) => [l.source, l.kind])).toEqual([
        ['files/big.txt', 'size'],
        ['files/x.exe', 'type'],
        ['files/locked.txt', 'unreadable'],
      ]);
      expect(leftOutLines(s, { list: true })).toEqual([
        'storage: 1 file(s) to upload into 1 bucket(s); 3 will not be uploaded (1 over the size limit, 1 of a refused type, 1 unreadable)',
        "  not uploaded: docs files/big.txt: 50 bytes is over the bucket's file_size_limit of 10",
        "  not uploaded: docs files/x.exe: application/vnd.microsoft.portable-executable is not in the bucket's allowed_mime_types",
        '  not uploaded: docs files/locked.txt: unreadable at plan time: EACCES (EACCES)',
      ]);
      expect(
        transferLines([
          {
            bucket: 'docs',
            ok: false,
            uploaded: 1,
            bytes: 5,
            resumed: 0,
            identical: 0,
            refused: [{ key: 'big.txt', source: 'files/big.txt', reason: 'too big' }],
            failed: [{ key: 'a.txt', source: 'files/a.txt', error: '[403] no' }],
          },
        ]),
      ).toEqual([
        'storage docs: 1 uploaded (5 bytes), 0 already done, 0 identical, 1 not uploaded, 1 failed',
        '  not uploaded: files/big.txt: too big',
        '  failed: files/a.txt -> a.txt: [403] no',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
