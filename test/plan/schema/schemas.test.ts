import { buildNameMap } from '../../../src/plan/schema';
import { schemaSteps } from '../../../src/plan/schema/schemas';
import { emptySnapshot } from '../../helpers/snapshot';

describe('schemaSteps', () => {
  it('creates schemas the target lacks, under their new names, and never public or extensions', () => {
    const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'App', ext: 'extensions' } });
    const steps = schemaSteps(
      [
        { name: 'public', owner: 'postgres', comment: null },
        { name: 'ext', owner: 'postgres', comment: null },
        { name: 'app', owner: 'postgres', comment: 'the "app"\'s data' },
        { name: 'audit', owner: 'postgres', comment: null },
      ],
      names,
    );
    expect(steps.map((s) => [s.id, s.phase, s.sql, s.down])).toEqual([
      [
        'schema:App',
        'pre-data',
        'create schema "App";\ncomment on schema "App" is \'the "app"\'\'s data\';\n',
        'drop schema "App";\n',
      ],
      ['schema:audit', 'pre-data', 'create schema "audit";\n', 'drop schema "audit";\n'],
    ]);
  });
});
