import { extensionSteps } from '../../../src/plan/schema/extensions';
import { relocationOf } from '../../../src/plan/schema/relocation';
import { emptySnapshot } from '../../helpers/snapshot';

const down = (name: string) => [
  'do $$',
  'begin',
  `  if (select pg_catalog.obj_description(oid, 'pg_extension') from pg_catalog.pg_extension where extname = '${name}')`
    + " = 'created by supamigrate' then",
  `    drop extension "${name}";`,
  '  end if;',
  'end',
  '$$;',
  '',
].join('\n');

describe('extensionSteps', () => {
  it('creates a missing extension in the extensions schema, marks it, and drops only what it marked', () => {
    const steps = extensionSteps([
      { name: 'plpgsql', schema: 'pg_catalog', version: '1.0', members: [] },
      { name: 'uuid-ossp', schema: 'public', version: '1.1', members: [] },
    ]);
    expect(steps).toHaveLength(1);
    expect(steps[0].id).toEqual('extension:uuid-ossp');
    expect(steps[0].sql).toEqual([
      'do $$',
      'begin',
      "  if not exists (select 1 from pg_catalog.pg_extension where extname = 'uuid-ossp') then",
      '    create extension "uuid-ossp" with schema extensions;',
      '    comment on extension "uuid-ossp" is \'created by supamigrate\';',
      '  end if;',
      'end',
      '$$;',
      '',
    ].join('\n'));
    expect(steps[0].down).toEqual(down('uuid-ossp'));
  });

  it('keeps an extension whose member a string names in its source schema, and says why in a comment', () => {
    const snapshot = emptySnapshot({
      extensions: [{ name: 'pg_trgm', schema: 'public', version: '1.6', members: ['public.similarity'] }],
      views: [{
        schema: 'public', name: 'v', materialized: false, definition: " SELECT 'public.similarity(a, b)'::text AS q;",
        columns: [], options: [], dependsOn: [], indexes: [], owner: 'postgres', comment: null, grants: [],
      }],
    });
    const [s] = extensionSteps(snapshot.extensions, relocationOf(snapshot));
    expect(s.sql).toEqual([
      '-- stays in public: view public.v names public.similarity inside a string, '
        + 'which a rewrite cannot prove to follow',
      'do $$',
      'begin',
      "  if not exists (select 1 from pg_catalog.pg_extension where extname = 'pg_trgm') then",
      '    create extension "pg_trgm" with schema "public";',
      '    comment on extension "pg_trgm" is \'created by supamigrate\';',
      '  end if;',
      'end',
      '$$;',
      '',
    ].join('\n'));
    expect(s.down).toEqual(down('pg_trgm'));
  });

  it('creates a relocatable extension in extensions', () => {
    const snapshot = emptySnapshot({ extensions: [{ name: 'citext', schema: 'public', version: '1.6', members: [] }] });
    const [s] = extensionSteps(snapshot.extensions, relocationOf(snapshot));
    expect(s.sql).toEqual([
      'do $$',
      'begin',
      "  if not exists (select 1 from pg_catalog.pg_extension where extname = 'citext') then",
      '    create extension "citext" with schema extensions;',
      '    comment on extension "citext" is \'created by supamigrate\';',
      '  end if;',
      'end',
      '$$;',
      '',
    ].join('\n'));
  });
});
