import { unsupportedObjects } from '../../../src/analyze/unsupported';
import { buildNameMap, planSchema } from '../../../src/plan/schema';
import { castStep, operatorStep } from '../../../src/plan/schema/casts-operators';
import { eventTriggerStep, publicationStep, serverStep } from '../../../src/plan/schema/foreign-publications';
import { ruleSteps, statisticsSteps } from '../../../src/plan/schema/statistics-rules';
import type { Routine } from '../../../src/introspect/snapshot';
import { mapping } from '../../helpers/spec';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { shop: 'store' } });
const routine = (over: Partial<Routine>): Routine => ({
  schema: 'shop', name: 'f', identityArgs: '', kind: 'f', definition: '', language: 'sql', returns: 'integer', returnsSet: false,
  securityDefiner: false, volatility: 'v', args: [], dependsOn: [], owner: 'postgres', comment: null, ...over,
});

describe('planners of the further kinds', () => {
  it('statistics keep their target and comment; a renamed schema follows', () => {
    const [s] = statisticsSteps([{ schema: 'shop', name: 'st', table: 'shop.item', definition: 'CREATE STATISTICS shop.st (ndistinct) ON a, b FROM shop.item', target: 500, comment: 'c' }], names);
    expect(s.sql).toBe("CREATE STATISTICS store.st (ndistinct) ON a, b FROM store.item;\nalter statistics \"store\".\"st\" set statistics 500;\ncomment on statistics \"store\".\"st\" is 'c';\n");
    expect(s.down).toBe('drop statistics "store"."st";\n');
  });

  it('a disabled rule is created, then disabled', () => {
    const [r] = ruleSteps([{ schema: 'shop', table: 'log', name: 'r', definition: 'CREATE RULE r AS ON INSERT TO shop.log DO INSTEAD NOTHING;', enabled: 'D', comment: null }], names);
    expect(r.sql).toBe('CREATE RULE r AS ON INSERT TO store.log DO INSTEAD NOTHING;\nalter table "store"."log" disable rule "r";\n');
    expect(r.down).toBe('drop rule "r" on "store"."log";\n');
  });

  it('casts and operators name their SQL functions', () => {
    const cast = castStep({ source: 'numeric', target: 'shop.cents', function: 'shop.to_cents(numeric)', signature: 'shop.to_cents(numeric)', context: 'a', method: 'f', comment: null }, names);
    expect(cast.sql).toBe('create cast (numeric as store.cents) with function store.to_cents(numeric) as assignment;\n');
    const op = operatorStep({ schema: 'shop', name: '~<<', left: 'text', right: 'text', function: 'shop.f(text, text)', procedure: 'shop.f', commutator: null, negator: null, restrict: null, join: null, hashes: false, merges: false, comment: null }, names);
    expect(op.sql).toBe('create operator "store".~<< (function = store.f, leftarg = text, rightarg = text);\n');
    expect(op.down).toBe('drop operator "store".~<< (text, text);\n');
  });

  it('servers, publications and event triggers', () => {
    expect(serverStep({ name: 'remote', wrapper: 'postgres_fdw', wrapperExtension: 'postgres_fdw', type: null, version: null, options: ["host 'h'"], userMappings: [], comment: null }).sql)
      .toBe(`create server "remote" foreign data wrapper "postgres_fdw" options (host 'h');\n`);
    expect(publicationStep({ name: 'feed', allTables: false, schemas: [], tables: [{ table: 'shop.item', columns: ['id'], where: '(id > 1)' }], actions: ['insert'], viaRoot: false, comment: null }, names).sql)
      .toBe(`create publication "feed" for table "store"."item" ("id") where ((id > 1)) with (publish = 'insert');\n`);
    expect(eventTriggerStep({ name: 'ddl', event: 'ddl_command_end', tags: ['CREATE TABLE'], function: 'shop.on_ddl()', procedure: 'shop.on_ddl', enabled: 'O', comment: null }, names).sql)
      .toBe(`create event trigger "ddl" on "ddl_command_end" when tag in ('CREATE TABLE') execute function store.on_ddl();\n`);
  });

  it('a zero-argument aggregate is written (*)', () => {
    const snapshot = emptySnapshot({ functions: [routine({ name: 'counted', kind: 'a', definition: 'CREATE AGGREGATE shop.counted(*) (SFUNC = shop.step, STYPE = bigint)' })] });
    const step = planSchema(snapshot, mapping()).find((s) => s.kind === 'aggregate');
    expect(step?.down).toBe('drop aggregate "shop"."counted"(*);\n');
  });

  it('what Supabase cannot hold is named, with what uses it, and is not planned', () => {
    const c = routine({ name: 'c_fn', identityArgs: 'integer', language: 'c', definition: "CREATE FUNCTION shop.c_fn(integer) ... AS '$libdir/mine', 'c_fn'" });
    const agg = routine({ name: 'agg', identityArgs: 'integer', kind: 'a', definition: 'CREATE AGGREGATE ...', uses: ['shop.c_fn(integer)'] });
    const snapshot = emptySnapshot({ functions: [agg, c] });
    expect(unsupportedObjects(snapshot).map((u) => u.object)).toEqual(['aggregate shop.agg(integer)', 'function shop.c_fn(integer)']);
    expect(unsupportedObjects(snapshot)[1].reason).toContain('$libdir/mine');
    expect(planSchema(snapshot, mapping()).filter((s) => s.kind === 'function' || s.kind === 'aggregate')).toEqual([]);
  });
});
