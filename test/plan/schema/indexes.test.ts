import { buildNameMap } from '../../../src/plan/schema';
import { indexSteps } from '../../../src/plan/schema/indexes';
import type { Index } from '../../../src/introspect/snapshot';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

function index(over: Partial<Index> = {}): Index {
  return {
    name: 'users_email', definition: 'CREATE INDEX users_email ON app.users USING btree (lower(email))',
    unique: false, primary: false, constraint: null, columns: [], partial: false, comment: null, ...over,
  };
}

describe('indexSteps', () => {
  it('creates an index on the renamed table with its statistics targets and comment', () => {
    const [s] = indexSteps('app', [index({ statistics: [{ column: 1, target: 500 }], comment: 'by mail' })], names);
    expect([s.id, s.phase, s.kind]).toEqual(['index:app2.users_email', 'post-data', 'index']);
    expect(s.sql).toEqual([
      'CREATE INDEX users_email ON app2.users USING btree (lower(email));',
      'alter index "app2"."users_email" alter column 1 set statistics 500;',
      'comment on index "app2"."users_email" is \'by mail\';',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop index "app2"."users_email";\n');
  });

  it('builds a partitioned parent index over the whole tree (ON, not ON ONLY)', () => {
    const [s] = indexSteps('app', [index({ definition: 'CREATE INDEX m_at ON ONLY app.m USING btree (at)' })], names);
    expect(s.sql).toEqual('CREATE INDEX m_at ON app2.m USING btree (at);\n');
  });

  it('leaves indexes that a constraint creates to the constraint', () => {
    expect(indexSteps('app', [index({ constraint: 'users_pkey' })], names)).toEqual([]);
  });
});
