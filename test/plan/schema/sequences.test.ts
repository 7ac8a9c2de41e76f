import { buildNameMap } from '../../../src/plan/schema';
import { sequenceOwnershipSteps, sequenceSteps } from '../../../src/plan/schema/sequences';
import type { Sequence } from '../../../src/introspect/snapshot';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

function seq(over: Partial<Sequence> = {}): Sequence {
  return {
    schema: 'app', name: 'ids', dataType: 'bigint', start: '1', increment: '1', min: '1',
    max: '9223372036854775807', cache: '1', cycle: false, ownedBy: null, comment: null, ...over,
  };
}

describe('sequenceSteps', () => {
  it('creates the sequence with every option, in the renamed schema, and drops it', () => {
    const [s] = sequenceSteps([seq({ cycle: true, cache: '20', comment: "it's ids" })], names);
    expect(s.id).toEqual('sequence:app2.ids');
    expect(s.sql).toEqual([
      'create sequence "app2"."ids"',
      '  as bigint',
      '  increment by 1',
      '  minvalue 1 maxvalue 9223372036854775807',
      '  start with 1 cache 20 cycle;',
      'comment on sequence "app2"."ids" is \'it\'\'s ids\';',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop sequence "app2"."ids";\n');
  });

  it('writes no cycle when the sequence does not cycle', () => {
    const down = seq({ dataType: 'integer', increment: '-1', min: '-10', max: '-1', start: '-1' });
    const [s] = sequenceSteps([down], names);
    expect(s.sql).toEqual([
      'create sequence "app2"."ids"',
      '  as integer',
      '  increment by -1',
      '  minvalue -10 maxvalue -1',
      '  start with -1 cache 1 no cycle;',
      '',
    ].join('\n'));
  });
});

describe('sequenceOwnershipSteps', () => {
  it('ties an owned sequence to its column and unties it on the way down', () => {
    const steps = sequenceOwnershipSteps([seq({ ownedBy: 'app.users.id' }), seq({ name: 'free' })], names);
    expect(steps.map((s) => [s.id, s.sql, s.down])).toEqual([[
      'sequence-owner:app2.ids',
      'alter sequence "app2"."ids" owned by "app2"."users"."id";\n',
      'alter sequence "app2"."ids" owned by none;\n',
    ]]);
  });
});
