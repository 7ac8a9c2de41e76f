import { UserError } from '../../../src/errors';
import { writeStopFor } from '../../../src/execute/online/write-stop';
import type { OnlineSpec } from '../../../src/spec/online';

const online = (over: Partial<OnlineSpec> = {}): OnlineSpec => ({
  writeStop: 'read-only',
  appRole: null,
  sessionWaitSeconds: 10,
  maxRetainedWalBytes: 1024 ** 3,
  ...over,
});

describe('writeStopFor: the spec names the write stop, the flags override it', () => {
  test("the spec's method and role when no flag is given", () => {
    expect(writeStopFor(online())).toEqual({ method: 'read-only' });
    expect(writeStopFor(online({ writeStop: 'revoke', appRole: 'app' }))).toEqual({ method: 'revoke', role: 'app' });
    expect(writeStopFor(online({ writeStop: 'already-stopped' }), {})).toEqual({ method: 'already-stopped' });
  });

  test('--write-stop and --app-role win over the spec, each on its own', () => {
    const spec = online({ writeStop: 'revoke', appRole: 'app' });
    expect(writeStopFor(spec, { writeStop: 'already-stopped' })).toEqual({ method: 'already-stopped' });
    expect(writeStopFor(spec, { appRole: 'writer' })).toEqual({ method: 'revoke', role: 'writer' });
    expect(writeStopFor(online(), { writeStop: 'revoke', appRole: 'writer' })).toEqual({ method: 'revoke', role: 'writer' });
    // The flag's method with the spec's role.
    expect(writeStopFor(online({ appRole: 'app' }), { writeStop: 'revoke' })).toEqual({ method: 'revoke', role: 'app' });
  });

  test('revoke without a role anywhere, or an unknown method, is a user error with the fix', () => {
    expect(() => writeStopFor(online(), { writeStop: 'revoke' })).toThrow(UserError);
    expect(() => writeStopFor(online(), { writeStop: 'revoke' })).toThrow(/application role/);
    expect(() => writeStopFor(online(), { writeStop: 'shutdown' })).toThrow(/unknown write stop method "shutdown"/);
  });
});
