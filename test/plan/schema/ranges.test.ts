import { buildNameMap } from '../../../src/plan/schema';
import { rangeSteps } from '../../../src/plan/schema/ranges';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: {} });

describe('rangeSteps', () => {
  it('creates the range with its options and names its multirange; Postgres makes the constructors', () => {
    const [s] = rangeSteps([{
      schema: 'shop', name: 'stay', subtype: 'date', subtypeOpclass: null, collation: null, canonical: null,
      subtypeDiff: 'shop.days_between', multirange: 'shop.stays', comment: 'nights',
    }], names);
    expect(s.sql).toBe([
      'create type "shop"."stay" as range (subtype = date, subtype_diff = shop.days_between, multirange_type_name = shop.stays);',
      `comment on type "shop"."stay" is 'nights';`,
      '',
    ].join('\n'));
    expect(s.down).toBe('drop type "shop"."stay";\n');
  });
});
