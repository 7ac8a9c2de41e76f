import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, resetTimeouts, setTimeouts, type Db } from '../../src/db';

const SRC = join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The code of a file without its comments, so that a mention in prose does not count. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

describe('timeouts', () => {
  it('are set in one place: no other file in src/ names statement_timeout or lock_timeout', () => {
    const naming = sourceFiles(SRC)
      .filter((f) => /\b(statement|lock)_timeout\b/.test(code(readFileSync(f, 'utf8'))))
      .map((f) => f.slice(SRC.length + 1));
    // render/evolution.ts writes `set lock_timeout` into the evolution file for `supabase db push`
    // to run: text of a migration, not a setting of the engine's own connections.
    expect(naming.sort()).toEqual(['db/timeouts.ts', 'render/evolution.ts']);
  });

  describe('on PGlite', () => {
    let db: Db;
    const show = async () =>
      (await db.query<{ s: string; l: string }>(`select current_setting('statement_timeout') as s, current_setting('lock_timeout') as l`)).rows[0];
    beforeAll(async () => {
      db = await openDb('pglite://memory');
    });
    afterAll(async () => {
      await db.close();
    });

    it('hold for the transaction only when local, and leave lock_timeout alone unless asked', async () => {
      await db.exec('begin');
      await setTimeouts(db, { statementMs: 1500 });
      expect(await show()).toEqual({ s: '1500ms', l: '0' });
      await setTimeouts(db, { statementMs: 0, lockMs: 5000 });
      expect(await show()).toEqual({ s: '0', l: '5s' });
      await db.exec('commit');
      expect(await show()).toEqual({ s: '0', l: '0' });
    });

    it('hold for the session otherwise, until reset', async () => {
      await setTimeouts(db, { statementMs: 2000, lockMs: 1000 }, false);
      expect(await show()).toEqual({ s: '2s', l: '1s' });
      await resetTimeouts(db);
      expect(await show()).toEqual({ s: '0', l: '0' });
    });
  });
});
