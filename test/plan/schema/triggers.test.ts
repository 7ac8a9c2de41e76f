import { buildNameMap } from '../../../src/plan/schema';
import { triggerSteps } from '../../../src/plan/schema/triggers';
import type { Trigger } from '../../../src/introspect/snapshot';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

function trigger(over: Partial<Trigger> = {}): Trigger {
  return {
    schema: 'app', table: 'users', name: 'touch',
    definition: 'CREATE TRIGGER touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch()',
    function: 'app.touch', enabled: 'O', isConstraint: false, ...over,
  };
}

describe('triggerSteps', () => {
  it('creates an enabled trigger on the renamed table and drops it', () => {
    const [s] = triggerSteps([trigger()], names);
    expect([s.id, s.phase, s.kind]).toEqual(['trigger:app2.users.touch', 'post-data', 'trigger']);
    expect(s.sql).toEqual(
      'CREATE TRIGGER touch BEFORE UPDATE ON app2.users FOR EACH ROW EXECUTE FUNCTION app2.touch();\n',
    );
    expect(s.down).toEqual('drop trigger "touch" on "app2"."users";\n');
  });

  it.each([
    ['D', 'disable'],
    ['R', 'enable replica'],
    ['A', 'enable always'],
  ])('keeps the firing state %s as %s', (enabled, words) => {
    const [s] = triggerSteps([trigger({ enabled })], names);
    expect(s.sql).toEqual([
      'CREATE TRIGGER touch BEFORE UPDATE ON app2.users FOR EACH ROW EXECUTE FUNCTION app2.touch();',
      `alter table "app2"."users" ${words} trigger "touch";`,
      '',
    ].join('\n'));
  });
});
