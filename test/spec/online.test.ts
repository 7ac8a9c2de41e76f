import { parseSpec, SpecError } from '../../src/spec';

const file = '/project/migration.yaml';
const spec = (online: string) => parseSpec(`version: 1\nname: shop\nonline:\n${online}`, file, {});

function problems(online: string): string[] {
  try {
    spec(online);
  } catch (err) {
    if (err instanceof SpecError) return err.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('online: section', () => {
  test('defaults: read-only write stop, 10 s for sessions to end, 1 GB of retained WAL', () => {
    expect(parseSpec('version: 1\nname: shop\n', file, {}).online).toEqual({
      writeStop: 'read-only',
      appRole: null,
      sessionWaitSeconds: 10,
      maxRetainedWalBytes: 1024 ** 3,
    });
  });

  test('max_retained_wal takes bytes or a binary size', () => {
    expect(spec('  max_retained_wal: 2GB\n').online.maxRetainedWalBytes).toBe(2 * 1024 ** 3);
    expect(spec('  max_retained_wal: 1.5 TB\n').online.maxRetainedWalBytes).toBe(1.5 * 1024 ** 4);
    expect(spec('  max_retained_wal: 4096\n').online.maxRetainedWalBytes).toBe(4096);
  });

  test('the write stop methods cutover knows, revoke with its role', () => {
    expect(spec('  write_stop: already-stopped\n').online.writeStop).toBe('already-stopped');
    expect(spec('  write_stop: revoke\n  app_role: app\n').online).toMatchObject({ writeStop: 'revoke', appRole: 'app' });
  });

  test('refuses revoke without app_role, an unknown method, a size that is not one, a zero limit and an unknown key', () => {
    expect(problems('  write_stop: revoke\n')).toEqual([
      '4:15 online.write_stop: revoke needs the application role whose write privileges cutover takes away',
    ]);
    expect(problems('  write_stop: shutdown\n')).toHaveLength(1);
    expect(problems('  write_stop: shutdown\n')[0]).toMatch(/^4:15 online\.write_stop: /);
    expect(problems('  max_retained_wal: lots\n')).toEqual(['4:21 online.max_retained_wal: "lots" is not valid']);
    expect(problems('  max_retained_wal: 0\n')).toEqual(['4:21 online.max_retained_wal: a limit of 0 would warn about every slot']);
    expect(problems('  max_wal: 1GB\n')[0]).toMatch(/^4:3 online\.max_wal/);
  });
});
