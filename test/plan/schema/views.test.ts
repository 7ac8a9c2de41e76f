import { buildNameMap } from '../../../src/plan/schema';
import { refreshStep, viewStep } from '../../../src/plan/schema/views';
import type { View } from '../../../src/introspect/snapshot';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

function view(over: Partial<View> = {}): View {
  return {
    schema: 'app', name: 'active', materialized: false,
    definition: ' SELECT users.id\n   FROM app.users\n  WHERE users.active;',
    columns: [], options: [], dependsOn: ['app.users'], indexes: [], owner: 'postgres', comment: null, grants: [],
    ...over,
  };
}

describe('viewStep', () => {
  it('creates a view with its options and comment, the definition following the renamed schema', () => {
    const s = viewStep(view({ options: ['security_invoker=true', 'check_option=local'], comment: 'live ones' }), names);
    expect([s.id, s.phase, s.kind]).toEqual(['view:app2.active', 'pre-data', 'view']);
    expect(s.sql).toEqual([
      'create view "app2"."active" with (security_invoker=true, check_option=local) as',
      ' SELECT users.id',
      '   FROM app2.users',
      '  WHERE users.active;',
      'comment on view "app2"."active" is \'live ones\';',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop view "app2"."active";\n');
  });

  it('creates a materialized view empty, to be filled after the data', () => {
    const s = viewStep(view({ materialized: true }), names);
    expect([s.id, s.kind]).toEqual(['materialized-view:app2.active', 'materialized-view']);
    expect(s.sql).toEqual([
      'create materialized view "app2"."active" as',
      ' SELECT users.id',
      '   FROM app2.users',
      '  WHERE users.active',
      'with no data;',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop materialized view "app2"."active";\n');
  });
});

describe('refreshStep', () => {
  it('fills a materialized view after the data and empties it on the way down', () => {
    const s = refreshStep(view({ materialized: true }), names);
    expect([s.id, s.phase, s.sql, s.down]).toEqual([
      'refresh:app2.active',
      'post-data',
      'refresh materialized view "app2"."active";\n',
      'refresh materialized view "app2"."active" with no data;\n',
    ]);
  });
});
