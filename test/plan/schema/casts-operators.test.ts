import { buildNameMap } from '../../../src/plan/schema';
import { castStep, operatorStep } from '../../../src/plan/schema/casts-operators';
import type { Cast, Operator } from '../../../src/introspect/snapshot-kinds';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

function cast(over: Partial<Cast> = {}): Cast {
  return {
    source: 'numeric', target: 'app.cents', function: 'app.to_cents(numeric)', signature: 'app.to_cents(numeric)',
    context: 'e', method: 'f', comment: null, ...over,
  };
}

describe('castStep', () => {
  it('creates an explicit cast with its function, types following the renamed schema', () => {
    const s = castStep(cast({ comment: 'money' }), names);
    expect([s.id, s.phase, s.kind]).toEqual(['cast:(numeric as app2.cents)', 'pre-data', 'cast']);
    expect(s.sql).toEqual([
      'create cast (numeric as app2.cents) with function app2.to_cents(numeric);',
      "comment on cast (numeric as app2.cents) is 'money';",
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop cast (numeric as app2.cents);\n');
  });

  it('writes binary coercible casts as assignment and I/O casts as implicit', () => {
    const binary = castStep(cast({ method: 'b', function: null, signature: null, context: 'a' }), names);
    const inout = castStep(cast({ method: 'i', function: null, signature: null, context: 'i' }), names);
    expect([binary.sql, inout.sql]).toEqual([
      'create cast (numeric as app2.cents) without function as assignment;\n',
      'create cast (numeric as app2.cents) with inout as implicit;\n',
    ]);
  });
});

function operator(over: Partial<Operator> = {}): Operator {
  return {
    schema: 'app', name: '===', left: 'app.cents', right: 'app.cents', function: 'app.cents_eq(app.cents,app.cents)',
    procedure: 'app.cents_eq', commutator: null, negator: null, restrict: null, join: null,
    hashes: false, merges: false, comment: null, ...over,
  };
}

describe('operatorStep', () => {
  it('creates a binary operator with every option and drops it by its signature', () => {
    const s = operatorStep(operator({
      commutator: 'OPERATOR(app.===)', negator: 'OPERATOR(app.!==)', restrict: 'eqsel', join: 'eqjoinsel',
      hashes: true, merges: true,
      comment: 'same',
    }), names);
    expect([s.id, s.phase, s.kind]).toEqual(['operator:app2.===(app.cents,app.cents)', 'pre-data', 'operator']);
    expect(s.sql).toEqual([
      'create operator "app2".=== (function = app2.cents_eq, leftarg = app2.cents, rightarg = app2.cents, '
        + 'commutator = OPERATOR(app2.===), negator = OPERATOR(app2.!==), '
        + 'restrict = eqsel, join = eqjoinsel, hashes, merges);',
      "comment on operator \"app2\".=== (app2.cents, app2.cents) is 'same';",
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop operator "app2".=== (app2.cents, app2.cents);\n');
  });

  it('writes none for the missing argument of a prefix operator', () => {
    const s = operatorStep(operator({ name: '~~~', left: null }), names);
    expect(s.id).toEqual('operator:app2.~~~(none,app.cents)');
    expect(s.sql).toEqual('create operator "app2".~~~ (function = app2.cents_eq, rightarg = app2.cents);\n');
    expect(s.down).toEqual('drop operator "app2".~~~ (none, app2.cents);\n');
  });
});
