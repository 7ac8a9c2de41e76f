import type { PGlite } from '@electric-sql/pglite';
import { wholeMessages } from '../helpers/pglite-dump';

/** A typed frontend message: type byte, then a length that counts itself, then the body. */
function typed(type: string, body: string): Uint8Array {
  const bytes = new Uint8Array(5 + body.length);
  bytes[0] = type.charCodeAt(0);
  new DataView(bytes.buffer).setInt32(1, 4 + body.length);
  bytes.set(Buffer.from(body), 5);
  return bytes;
}

/** An untyped first message: length, then a code (196608 for a StartupMessage of protocol 3.0). */
function untyped(code: number, body = ''): Uint8Array {
  const bytes = new Uint8Array(8 + body.length);
  new DataView(bytes.buffer).setInt32(0, 8 + body.length);
  new DataView(bytes.buffer).setInt32(4, code);
  bytes.set(Buffer.from(body), 8);
  return bytes;
}

function recorder(): { send(m: Uint8Array): Promise<void>; calls: string[] } {
  const calls: string[] = [];
  const fake = {
    execProtocolRawStream: async (m: Uint8Array) => void calls.push(Buffer.from(m).toString('latin1')),
  };
  const pg = wholeMessages(fake as unknown as PGlite);
  return { send: (m) => pg.execProtocolRawStream(m, { onRawData: () => undefined }), calls };
}

const text = (...parts: Uint8Array[]) => parts.map((p) => Buffer.from(p).toString('latin1')).join('');

describe('pg_dump on PGlite gets whole protocol messages (libpq writes long ones in pieces)', () => {
  it('holds a message cut in two until its last byte, then forwards it once', async () => {
    const { send, calls } = recorder();
    const startup = untyped(196608, 'user\0postgres\0\0');
    const lock = typed('Q', `LOCK TABLE ${'x'.repeat(9000)}\0`);
    await send(startup);
    await send(lock.subarray(0, 8192));
    expect(calls).toEqual([text(startup)]);
    await send(lock.subarray(8192));
    expect(calls).toEqual([text(startup), text(lock)]);
  });

  it('forwards several whole messages of one write together, and the smallest (Sync) too', async () => {
    const { send, calls } = recorder();
    await send(untyped(196608));
    const [parse, sync] = [typed('P', '\0select 1\0\0\0'), typed('S', '')];
    const both = new Uint8Array([...parse, ...sync]);
    await send(both);
    expect(calls[1]).toEqual(text(parse, sync));
  });

  it('an SSLRequest is untyped and so is the StartupMessage after it', async () => {
    const { send, calls } = recorder();
    const [ssl, startup] = [untyped(80877103), untyped(196608, 'user\0postgres\0\0')];
    await send(ssl);
    await send(startup);
    expect(calls).toEqual([text(ssl), text(startup)]);
  });
});
