import { buildNameMap } from '../../../src/plan/schema';
import { ruleSteps, statisticsSteps } from '../../../src/plan/schema/statistics-rules';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

describe('statisticsSteps', () => {
  it('creates a statistics object with its target and comment after the data', () => {
    const [s] = statisticsSteps([{
      schema: 'app', name: 'st', table: 'app.t', definition: 'CREATE STATISTICS app.st (ndistinct) ON a, b FROM app.t',
      target: 200, comment: 'pairs',
    }], names);
    expect([s.id, s.phase, s.kind]).toEqual(['statistics:app2.st', 'post-data', 'statistics']);
    expect(s.sql).toEqual([
      'CREATE STATISTICS app2.st (ndistinct) ON a, b FROM app2.t;',
      'alter statistics "app2"."st" set statistics 200;',
      'comment on statistics "app2"."st" is \'pairs\';',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop statistics "app2"."st";\n');
  });
});

describe('ruleSteps', () => {
  const rule = {
    schema: 'app', table: 't', name: 'no_delete',
    definition: 'CREATE RULE no_delete AS\n    ON DELETE TO app.t DO INSTEAD NOTHING;', comment: null,
  };

  it('creates an enabled rule after the data and drops it', () => {
    const [s] = ruleSteps([{ ...rule, enabled: 'O' }], names);
    expect([s.id, s.phase, s.kind]).toEqual(['rule:app2.t.no_delete', 'post-data', 'rule']);
    expect(s.sql).toEqual('CREATE RULE no_delete AS\n    ON DELETE TO app2.t DO INSTEAD NOTHING;\n');
    expect(s.down).toEqual('drop rule "no_delete" on "app2"."t";\n');
  });

  it('keeps a disabled rule disabled and carries its comment', () => {
    const [s] = ruleSteps([{ ...rule, enabled: 'D', comment: 'guard' }], names);
    expect(s.sql).toEqual([
      'CREATE RULE no_delete AS',
      '    ON DELETE TO app2.t DO INSTEAD NOTHING;',
      'alter table "app2"."t" disable rule "no_delete";',
      'comment on rule "no_delete" on "app2"."t" is \'guard\';',
      '',
    ].join('\n'));
  });
});
