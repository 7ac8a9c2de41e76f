import { buildNameMap } from '../../../src/plan/schema';
import { collationSteps } from '../../../src/plan/schema/collations';
import type { Collation } from '../../../src/introspect/snapshot';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

function collation(over: Partial<Collation> = {}): Collation {
  return {
    schema: 'app', name: 'ci', provider: 'i', deterministic: true, lcCollate: null, lcCtype: null,
    locale: 'und-u-ks-level2', rules: null, comment: null, ...over,
  };
}

describe('collationSteps', () => {
  it('creates a nondeterministic ICU collation with its comment', () => {
    const [s] = collationSteps([collation({ deterministic: false, comment: 'case blind' })], names);
    expect([s.id, s.phase, s.kind]).toEqual(['collation:app2.ci', 'pre-data', 'collation']);
    expect(s.sql).toEqual([
      'create collation "app2"."ci" (provider = icu, locale = \'und-u-ks-level2\', deterministic = false);',
      'comment on collation "app2"."ci" is \'case blind\';',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop collation "app2"."ci";\n');
  });

  it('creates a libc collation from its collate and ctype, with ICU rules when present', () => {
    const [libc, ruled] = collationSteps([
      collation({ name: 'fr', provider: 'c', locale: null, lcCollate: 'fr_FR.utf8', lcCtype: 'fr_FR.utf8' }),
      collation({ name: 'ab', rules: '&a < b' }),
    ], names);
    expect(libc.sql).toEqual(
      'create collation "app2"."fr" (provider = libc, lc_collate = \'fr_FR.utf8\', lc_ctype = \'fr_FR.utf8\');\n',
    );
    expect(ruled.sql).toEqual(
      'create collation "app2"."ab" (provider = icu, locale = \'und-u-ks-level2\', rules = \'&a < b\');\n',
    );
  });

  it('leaves out collations of the database default provider', () => {
    expect(collationSteps([collation({ provider: 'd' })], names)).toEqual([]);
  });
});
