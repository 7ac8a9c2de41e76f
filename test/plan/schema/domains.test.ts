import { buildNameMap } from '../../../src/plan/schema';
import { domainSteps } from '../../../src/plan/schema/types';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: {} });

describe('domainSteps', () => {
  it('adds a NOT VALID check with ALTER DOMAIN, the only place Postgres accepts NOT VALID', () => {
    const [s] = domainSteps(
      [{
        schema: 'public', name: 'pos', baseType: 'integer', notNull: true, default: null, collation: null, comment: null,
        checks: [
          { name: 'old_rows', definition: 'CHECK ((VALUE < 100)) NOT VALID' },
          { name: 'positive', definition: 'CHECK ((VALUE > 0))' },
        ],
      }],
      names,
    );
    expect(s.sql).toBe([
      'create domain "public"."pos" as integer',
      '  not null',
      '  constraint "positive" CHECK ((VALUE > 0));',
      'alter domain "public"."pos" add constraint "old_rows" CHECK ((VALUE < 100)) NOT VALID;',
      '',
    ].join('\n'));
    expect(s.down).toBe('drop domain "public"."pos";\n');
  });
});
