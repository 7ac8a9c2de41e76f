import Ajv from 'ajv';
import { closeNamedPglite, withDb } from '../../src/db';
import type { Db } from '../../src/db';
import { introspect } from '../../src/introspect';
import { planValidation } from '../../src/plan/types/validation';
import { ident } from '../../src/sql';
import { freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';
import { specFor } from '../helpers/spec';

const SCHEMA = `
create type public.level as enum ('low', 'high');
create domain public.code4 as text check (length(value) <= 4);
create table public.items (
  id int generated always as identity primary key,
  name varchar(10) not null,
  qty int2 not null default 1 check (qty > 0),
  price numeric(5,2),
  rating int check (rating >= 1 and rating <= 5),
  kind text check (kind = any (array['a', 'b'])),
  lvl public.level,
  code public.code4,
  tags text[] not null default '{}',
  done boolean,
  note text check (note <> ''),
  score numeric check (score >= 0 and score <= 100),
  slug text generated always as (lower(name)) stored
);`;

/** Insert payloads at the edges of what the table accepts. */
const PAYLOADS: Record<string, unknown>[] = [
  { name: 'ok' }, {}, { name: null }, { name: 'x'.repeat(10) }, { name: 'x'.repeat(11) },
  { name: 'a', qty: 0 }, { name: 'a', qty: 1 }, { name: 'a', qty: 40000 }, { name: 'a', qty: null },
  { name: 'a', price: 999.99 }, { name: 'a', price: 1000 }, { name: 'a', price: -999.99 },
  { name: 'a', rating: 5 }, { name: 'a', rating: 6 }, { name: 'a', rating: 0 }, { name: 'a', rating: null },
  { name: 'a', kind: 'a' }, { name: 'a', kind: 'c' }, { name: 'a', lvl: 'high' }, { name: 'a', lvl: 'mid' },
  { name: 'a', code: 'abcd' }, { name: 'a', code: 'abcde' }, { name: 'a', tags: ['x', 'y'] }, { name: 'a', tags: null },
  { name: 'a', done: true }, { name: 'a', note: '' }, { name: 'a', note: 'n' },
  { name: 'a', score: 100 }, { name: 'a', score: 100.5 }, { name: 'a', score: -1 },
  { name: 'a', id: 5 }, { name: 'a', slug: 's' }, { name: 'a', nope: 1 },
];

const ROLLBACK = new Error('rollback');

/** Whether the database takes the payload, inserted the way PostgREST does (only the keys given). */
async function accepts(db: Db, payload: Record<string, unknown>): Promise<boolean> {
  const cols = Object.keys(payload).map(ident).join(', ');
  const sql = cols === ''
    ? 'insert into public.items default values'
    : `insert into public.items (${cols}) select ${cols} from json_populate_record(null::public.items, $1::json)`;
  try {
    await db.transaction(async (tx) => {
      await tx.query(sql, cols === '' ? [] : [JSON.stringify(payload)]);
      throw ROLLBACK;
    });
  } catch (e) {
    return e === ROLLBACK;
  }
  return true;
}

describe.each(TARGETS)('validation schemas on %s', (kind) => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind, 'tyval');
    await withDb(db.url, (d) => d.exec(SCHEMA));
  });
  afterAll(async () => {
    await db.drop();
    await closeNamedPglite();
  });

  it('accept exactly the Insert payloads the database accepts', async () => {
    const snapshot = await withDb(db.url, (d) => introspect(d));
    const file = planValidation(snapshot, { ...specFor('/work/app'), types: { validation: 'jsonschema' } });
    expect(file?.path).toBe('supabase/types/database.schemas.json');
    const ajv = new Ajv({ strict: false });
    ajv.addSchema(JSON.parse((file as { content: string }).content), 'db');
    const check = ajv.getSchema('db#/definitions/public.items.Insert');
    if (!check) throw new Error('no Insert schema for public.items');
    const verdicts = await withDb(db.url, async (d) => {
      const out: string[] = [];
      for (const p of PAYLOADS) out.push(`${JSON.stringify(p)} database:${await accepts(d, p)} schema:${check(p)}`);
      return out;
    });
    const disagreements = verdicts.filter((v) => v.includes('database:true schema:false') || v.includes('database:false schema:true'));
    expect(disagreements).toEqual([]);
    // Both verdicts occur, so the comparison is not vacuous.
    expect(verdicts.filter((v) => v.includes('database:true')).length).toBeGreaterThan(5);
    expect(verdicts.filter((v) => v.includes('database:false')).length).toBeGreaterThan(5);
  });
});
