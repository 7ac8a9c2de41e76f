import { buildNameMap } from '../../../src/plan/schema';
import { constraintSteps } from '../../../src/plan/schema/constraints';
import type { Constraint } from '../../../src/introspect/snapshot';
import { column, emptySnapshot, table } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

function constraint(over: Partial<Constraint> & Pick<Constraint, 'name' | 'kind' | 'definition'>): Constraint {
  return { columns: [], refTable: null, refColumns: [], validated: true, deferrable: false, comment: null, ...over };
}

const orders = table('app', 'orders', [column('id', 'integer'), column('user_id', 'integer')], {
  constraints: [
    constraint({ name: 'orders_pkey', kind: 'p', definition: 'PRIMARY KEY (id)', comment: 'the key' }),
    constraint({ name: 'orders_user', kind: 'f', definition: 'FOREIGN KEY (user_id) REFERENCES app.users(id)' }),
    constraint({ name: 'positive', kind: 'c', definition: 'CHECK ((id > 0))' }),
    constraint({ name: 'later', kind: 'c', definition: 'CHECK ((id < 10)) NOT VALID', validated: false }),
  ],
});

describe('constraintSteps', () => {
  it('adds a primary key with its comment and drops it', () => {
    const [s] = constraintSteps(orders, names, ['p', 'u', 'x']);
    expect([s.id, s.phase, s.kind]).toEqual(['primary-key:app2.orders.orders_pkey', 'post-data', 'primary-key']);
    expect(s.sql).toEqual([
      'alter table "app2"."orders" add constraint "orders_pkey" PRIMARY KEY (id);',
      'comment on constraint "orders_pkey" on "app2"."orders" is \'the key\';',
      '',
    ].join('\n'));
    expect(s.down).toEqual('alter table "app2"."orders" drop constraint "orders_pkey";\n');
  });

  it('adds a foreign key whose referenced table follows the renamed schema', () => {
    const [s] = constraintSteps(orders, names, ['f']);
    expect([s.id, s.sql, s.down]).toEqual([
      'foreign-key:app2.orders.orders_user',
      'alter table "app2"."orders" add constraint "orders_user" FOREIGN KEY (user_id) REFERENCES app2.users(id);\n',
      'alter table "app2"."orders" drop constraint "orders_user";\n',
    ]);
  });

  it('adds only the NOT VALID checks after the data (valid ones are created with the table)', () => {
    const steps = constraintSteps(orders, names, ['c']);
    expect(steps.map((s) => [s.id, s.sql, s.down])).toEqual([[
      'check:app2.orders.later',
      'alter table "app2"."orders" add constraint "later" CHECK ((id < 10)) NOT VALID;\n',
      'alter table "app2"."orders" drop constraint "later";\n',
    ]]);
  });
});
