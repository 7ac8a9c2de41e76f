import { dataRunner } from '../../../src/commands/data-runner';
import { openDb } from '../../../src/db';
import type { ExecutableStep } from '../../../src/execute';
import { ensureCheckpointTable } from '../../../src/execute/checkpoints';
import { tableOfStep } from '../../../src/execute/data/followers';
import type { TableCopy } from '../../../src/plan/data';
import type { Spec } from '../../../src/spec/types';
import { freshDatabase, run, server, type TestDatabase } from './targets';

const column = (name: string) => ({ source: name, target: name, cast: null });
const copyOf = (table: string, rows: number): TableCopy => ({
  id: `data:public.${table}`, source: { schema: 'public', table }, target: { schema: 'public', table },
  columns: [column('id'), column('v')], key: ['id'], chunking: 'range', where: null, mode: 'auto', overridingSystemValue: false, estimatedRows: rows, order: 0,
});
const step = (id: string, kind: string, sql: string, phase: string): ExecutableStep => ({ type: 'sql', id, phase, kind, sql, body: sql, down: '', checksum: `c-${id}`, file: null, line: 1 });

it('finds the table of a key, constraint or index step, quoted or not', () => {
  expect(tableOfStep('alter table "app"."Odd ""name""" add constraint x primary key (id);')).toBe('app.Odd "name"');
  expect(tableOfStep('CREATE UNIQUE INDEX wide_t ON public.wide USING btree (t);')).toBe('public.wide');
  expect(tableOfStep('CREATE INDEX ev ON ONLY app.events USING btree (at);')).toBe('app.events');
  expect(tableOfStep('create trigger t after insert on app.x for each row execute function f();')).toBeNull();
});

(server ? describe.each(['server']) : describe.each(['pglite only']))('keys built as soon as their table is loaded (%s)', (kind) => {
  if (kind !== 'server') {
    it('needs a server: an embedded target has one connection, so its keys wait for the post-data phase', () => expect(server).toBeUndefined());
    return;
  }
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    source = await freshDatabase('server', 'data_early_src');
    target = await freshDatabase('server', 'data_early_tgt');
    const tables = 'create table small (id int not null, v text); create table big (id int not null, v text);';
    await run(source, `${tables} insert into small select g, 's' from generate_series(1, 10) g;
      insert into big select g, repeat('b', 100) from generate_series(1, 300000) g; analyze;`);
    await run(target, tables);
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it("builds a loaded table's key while another table still loads", async () => {
    const db = await openDb(target.url);
    try {
      await ensureCheckpointTable(db);
      const spec = { data: { batchSize: 10000, chunkRows: 10000, checkpointInterval: 1, parallel: 2 }, options: { timeoutSeconds: 0 } } as unknown as Spec;
      let bigDone = 0;
      const runner = dataRunner({
        sourceUrl: () => source.url, targetUrl: target.url, target: db, spec,
        onEvent: (e) => {
          if (e.type === 'table-done' && e.table === 'data:public.big') bigDone = Date.now();
        },
      });
      const [small, big] = [copyOf('small', 10), copyOf('big', 300000)];
      const steps: ExecutableStep[] = [small, big].map((c) => ({ ...step(c.id, 'data', '', 'data'), type: 'table-copy', copy: c, body: JSON.stringify(c) }));
      const followers = [
        step('primary-key:public.small.small_pkey', 'primary-key', 'alter table "public"."small" add constraint "small_pkey" PRIMARY KEY (id);', 'post-data'),
        step('primary-key:public.big.big_pkey', 'primary-key', 'alter table "public"."big" add constraint "big_pkey" PRIMARY KEY (id);', 'post-data'),
      ];
      const outcome = await runner(steps, undefined, followers).finally(() => runner.release());
      expect([...outcome].sort()).toEqual([[big.id, null], [small.id, null], ...followers.map((f) => [f.id, null])].sort());
      const applied = await db.query<{ step_id: string; at: string }>(
        "select step_id, (extract(epoch from applied_at) * 1000)::bigint::text as at from supamigrate.checkpoints order by step_id",
      );
      expect(applied.rows.map((r) => r.step_id)).toEqual(followers.map((f) => f.id).sort());
      // The small table's key committed before the big table finished loading.
      expect(Number(applied.rows.find((r) => r.step_id.includes('small'))!.at)).toBeLessThan(bigDone);
      const keys = await db.query<{ n: string }>("select count(*)::text as n from pg_constraint where contype = 'p' and conrelid in ('small'::regclass, 'big'::regclass)");
      expect(keys.rows[0].n).toBe('2');
    } finally {
      await db.close();
    }
  }, 300_000);
});

