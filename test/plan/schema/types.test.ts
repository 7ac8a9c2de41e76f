import { buildNameMap } from '../../../src/plan/schema';
import { compositeSteps, domainSteps, enumSteps } from '../../../src/plan/schema/types';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

describe('enumSteps', () => {
  it('creates an enum with its values quoted in order, and its comment', () => {
    const [s] = enumSteps([{ schema: 'app', name: 'mood', values: ['sad', "it's ok"], comment: 'how' }], names);
    expect([s.id, s.phase, s.kind]).toEqual(['enum:app2.mood', 'pre-data', 'enum']);
    expect(s.sql).toEqual([
      'create type "app2"."mood" as enum (\'sad\', \'it\'\'s ok\');',
      'comment on type "app2"."mood" is \'how\';',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop type "app2"."mood";\n');
  });
});

describe('domainSteps', () => {
  it('writes collation, default and not null in that order, base type and default following the renamed schema', () => {
    const [s] = domainSteps([{
      schema: 'app', name: 'code', baseType: 'app.short', notNull: true, default: "'x'::app.short",
      collation: '"C"', checks: [], comment: 'a code',
    }], names);
    expect(s.sql).toEqual([
      'create domain "app2"."code" as app2.short',
      '  collate "C"',
      "  default 'x'::app2.short",
      '  not null;',
      'comment on domain "app2"."code" is \'a code\';',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop domain "app2"."code";\n');
  });

  it('names a collation of a renamed schema by its new schema', () => {
    const [s] = domainSteps([{
      schema: 'app', name: 'ci_text', baseType: 'text', notNull: false, default: null,
      collation: 'app.ci', checks: [], comment: null,
    }], names);
    expect(s.sql).toEqual('create domain "app2"."ci_text" as text\n  collate app2.ci;\n');
  });
});

describe('compositeSteps', () => {
  it('creates a composite type, one attribute a line, with collations', () => {
    const [s] = compositeSteps([{
      schema: 'app', name: 'pair', comment: null,
      attributes: [
        { name: 'key', type: 'text', collation: '"C"' },
        { name: 'Value', type: 'app.money2', collation: null },
      ],
    }], names);
    expect([s.id, s.phase, s.kind]).toEqual(['composite:app2.pair', 'pre-data', 'composite']);
    expect(s.sql).toEqual([
      'create type "app2"."pair" as (',
      '  "key" text collate "C",',
      '  "Value" app2.money2',
      ');',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop type "app2"."pair";\n');
  });

  it('names an attribute collation of a renamed schema by its new schema', () => {
    const [s] = compositeSteps([{
      schema: 'app', name: 'pair', comment: null, attributes: [{ name: 'key', type: 'text', collation: 'app.ci' }],
    }], names);
    expect(s.sql).toEqual('create type "app2"."pair" as (\n  "key" text collate app2.ci\n);\n');
  });
});
