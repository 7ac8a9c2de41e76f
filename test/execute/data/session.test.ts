import { isTransient } from '../../../src/execute/data/session';

describe('isTransient', () => {
  it('retries a socket the server closed, whatever the shape of its code', () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' });
    expect(isTransient(epipe)).toBe(true);
    expect(isTransient(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('server closed the connection'), { code: '08006' }))).toBe(true);
  });

  it('does not retry a row the target rejects', () => {
    const unique = Object.assign(new Error('duplicate key value violates unique constraint "t_pkey" (connection 1)'), { code: '23505' });
    expect(isTransient(unique)).toBe(false);
    expect(isTransient(Object.assign(new Error('value too long'), { code: '22001' }))).toBe(false);
  });
});
