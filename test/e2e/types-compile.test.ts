import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeNamedPglite, withDb } from '../../src/db';
import { introspect } from '../../src/introspect';
import { planTypes } from '../../src/plan/types/index';
import { planZod } from '../../src/plan/types/zod';
import { freshDatabase } from '../helpers/databases';
import { loadSource, ROOT } from '../helpers/sources';
import { specFor } from '../helpers/spec';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/** A client program over the generated types: a typed select whose row is used as the row type says. */
const program = (column: string) => `import { createClient } from '@supabase/supabase-js'
import type { Database, Tables, TablesInsert } from './database.types'
import { Schemas } from './database.schemas'

const supabase = createClient<Database>('http://localhost:54321', 'anon-key')

export async function firstEmail(): Promise<string | undefined> {
  const { data } = await supabase.from('users').select('id, ${column}').limit(1)
  const row: { id: string; email: string } | undefined = data?.[0]
  return row?.email
}

export const draft: TablesInsert<'users'> = { email: 'a@b.c', first_name: 'A', school_id: '00000000-0000-0000-0000-000000000000' }
export type User = Tables<'users'>
// A payload checked by the generated zod schema is one the typed client takes.
export const checked: TablesInsert<'users'> = Schemas.public.users.Insert.parse(draft)
`;

/** tsc --noEmit over the folder, resolving supabase-js from this checkout. */
function typeCheck(dir: string): { code: number | null; output: string } {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'ES2022', module: 'commonjs', moduleResolution: 'node', skipLibCheck: true,
        lib: ['ES2022', 'DOM'], types: [], baseUrl: '.',
        paths: { '@supabase/supabase-js': [join(ROOT, 'node_modules/@supabase/supabase-js')], zod: [join(ROOT, 'node_modules/zod')] },
      },
      files: ['database.types.ts', 'database.schemas.ts', 'client.ts'],
    }),
  );
  const r = spawnSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, output: r.stdout + r.stderr };
}

describe('the generated types with supabase-js', () => {
  let dir: string;
  beforeAll(async () => {
    const db = await freshDatabase('pglite', 'tycompile');
    await loadSource(db.url, 'toolboxai');
    const snapshot = await withDb(db.url, (d) => introspect(d));
    dir = mkdtempSync(join(tmpdir(), 'sm-types-compile-'));
    writeFileSync(join(dir, 'database.types.ts'), planTypes(snapshot, specFor(dir)).content);
    writeFileSync(join(dir, 'database.schemas.ts'), (planZod(snapshot, { ...specFor(dir), types: { validation: 'zod' } }) as { content: string }).content);
    await closeNamedPglite();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('type-checks a program that selects real columns', () => {
    writeFileSync(join(dir, 'client.ts'), program('email'));
    const r = typeCheck(dir);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });

  it('refuses the same program with a misspelt column', () => {
    writeFileSync(join(dir, 'client.ts'), program('emial'));
    const r = typeCheck(dir);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('client.ts');
    expect(r.output).toContain("column 'emial' does not exist on 'users'");
  });
});
