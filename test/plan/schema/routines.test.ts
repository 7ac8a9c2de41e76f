import { buildNameMap } from '../../../src/plan/schema';
import { plainCreate, routineSteps } from '../../../src/plan/schema/routines';
import type { Routine } from '../../../src/introspect/snapshot';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

function routine(over: Partial<Routine> = {}): Routine {
  return {
    schema: 'app', name: 'add', identityArgs: 'a integer, b integer', kind: 'f',
    definition: 'CREATE OR REPLACE FUNCTION app.add(a integer, b integer)\n RETURNS integer\n LANGUAGE sql\n'
      + 'AS $function$ select a + b from app.one $function$\n',
    language: 'sql', returns: 'integer', returnsSet: false, securityDefiner: false, volatility: 'v',
    args: [], dependsOn: [], owner: 'postgres', comment: null, ...over,
  };
}

describe('routineSteps', () => {
  it('creates a function plainly with bodies unchecked, the body following the renamed schema', () => {
    const [s] = routineSteps([routine({ comment: 'sums' })], names);
    expect([s.id, s.phase, s.kind]).toEqual(['function:app2.add(a integer, b integer)', 'pre-data', 'function']);
    expect(s.sql).toEqual([
      'set local check_function_bodies = off;',
      'CREATE FUNCTION app2.add(a integer, b integer)',
      ' RETURNS integer',
      ' LANGUAGE sql',
      'AS $function$ select a + b from app2.one $function$;',
      'comment on function "app2"."add"(a integer, b integer) is \'sums\';',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop function "app2"."add"(a integer, b integer);\n');
  });

  it('creates a procedure and drops it as one', () => {
    const [s] = routineSteps([routine({
      name: 'log', kind: 'p', identityArgs: '',
      definition: "CREATE OR REPLACE PROCEDURE app.log()\n LANGUAGE sql\nAS $procedure$ select 1 $procedure$\n",
    })], names);
    expect(s.sql).toEqual([
      'set local check_function_bodies = off;',
      'CREATE PROCEDURE app2.log()',
      ' LANGUAGE sql',
      'AS $procedure$ select 1 $procedure$;',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop procedure "app2"."log"();\n');
  });

  it('drops a zero-argument aggregate as name(*)', () => {
    const [s] = routineSteps([routine({
      name: 'cnt', kind: 'a', identityArgs: '',
      definition: 'CREATE AGGREGATE app.cnt(*) (SFUNC = app.inc, STYPE = bigint)',
    })], names);
    expect(s.id).toEqual('aggregate:app2.cnt()');
    expect(s.sql).toEqual([
      'set local check_function_bodies = off;',
      'CREATE AGGREGATE app2.cnt(*) (SFUNC = app2.inc, STYPE = bigint);',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop aggregate "app2"."cnt"(*);\n');
  });

  it('leaves out window functions and routines without a definition', () => {
    expect(routineSteps([routine({ kind: 'w' }), routine({ definition: '' })], names)).toEqual([]);
  });
});

describe('plainCreate', () => {
  it('turns CREATE OR REPLACE into CREATE for functions and procedures only', () => {
    expect(plainCreate('CREATE OR REPLACE FUNCTION f() RETURNS int')).toEqual('CREATE FUNCTION f() RETURNS int');
    expect(plainCreate('create or replace procedure p()')).toEqual('CREATE procedure p()');
    expect(plainCreate('CREATE OR REPLACE VIEW v')).toEqual('CREATE OR REPLACE VIEW v');
  });
});
