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

describe('rangeSteps with a renamed schema', () => {
  const renamed = buildNameMap(emptySnapshot(), { renameSchemas: { shop: 'shop2' } });

  it('names a collation of a renamed schema by its new schema', () => {
    const [s] = rangeSteps([{
      schema: 'shop', name: 'words', subtype: 'text', subtypeOpclass: null, collation: 'shop.ci', canonical: null,
      subtypeDiff: null, multirange: 'shop.words_multi', comment: null,
    }], renamed);
    expect(s.sql).toEqual(
      'create type "shop2"."words" as range '
        + '(subtype = text, collation = shop2.ci, multirange_type_name = shop2.words_multi);\n',
    );
  });
});
