import { planData, planSequenceResets } from '../../../src/plan/data';
import { column, constraint, snapshot, table } from './fixtures';

const noOptions = { tables: {}, schemaRename: {} };
const id = (n = 1) => column('id', n, 'bigint', { notNull: true });

describe('planData', () => {
  const users = table('public', 'users', [id(), column('email', 2, 'text')], [constraint('users_pkey', 'p', ['id'])]);
  const posts = table('public', 'posts', [id(), column('user_id', 2, 'bigint')], [
    constraint('posts_pkey', 'p', ['id']),
    constraint('posts_user_fkey', 'f', ['user_id'], 'public.users'),
  ]);
  const alpha = table('app', 'alpha', [column('code', 1, 'text', { notNull: true })], [constraint('alpha_code_key', 'u', ['code'])]);

  it('orders referenced tables first, then by name', () => {
    const copies = planData(snapshot([posts, users, alpha]), noOptions);
    expect(copies.map((c) => [c.id, c.order])).toEqual([
      ['data:app.alpha', 0],
      ['data:public.users', 1],
      ['data:public.posts', 2],
    ]);
  });

  it('tolerates foreign-key cycles and self references', () => {
    const a = table('public', 'a', [id()], [constraint('a_pkey', 'p', ['id']), constraint('a_b', 'f', ['id'], 'public.b'), constraint('a_a', 'f', ['id'], 'public.a')]);
    const b = table('public', 'b', [id()], [constraint('b_pkey', 'p', ['id']), constraint('b_a', 'f', ['id'], 'public.a')]);
    const c = table('public', 'c', [id()], [constraint('c_a', 'f', ['id'], 'public.a')]);
    expect(planData(snapshot([c, b, a]), noOptions).map((x) => x.id)).toEqual(['data:public.a', 'data:public.b', 'data:public.c']);
  });

  it('chooses the chunking from the key', () => {
    const text = table('public', 'tags', [column('name', 1, 'text', { notNull: true })], [constraint('tags_pkey', 'p', ['name'])]);
    const none = table('public', 'log', [column('line', 1, 'text')]);
    const nullableUnique = table('public', 'maybe', [column('n', 1, 'integer')], [constraint('maybe_n_key', 'u', ['n'])]);
    const byId = Object.fromEntries(planData(snapshot([users, text, none, nullableUnique, alpha]), noOptions).map((c) => [c.id, c]));
    expect([byId['data:public.users'].chunking, byId['data:public.users'].key]).toEqual(['range', ['id']]);
    expect([byId['data:public.tags'].chunking, byId['data:public.tags'].key]).toEqual(['keyset', ['name']]);
    expect([byId['data:public.log'].chunking, byId['data:public.log'].key]).toEqual(['whole', null]);
    expect([byId['data:public.maybe'].chunking, byId['data:public.maybe'].key]).toEqual(['whole', null]);
    expect([byId['data:app.alpha'].chunking, byId['data:app.alpha'].key]).toEqual(['keyset', ['code']]);
  });

  it('leaves out generated columns (listed apart for validate) and applies rename, drop, cast, where, mode and skip', () => {
    const t = table('public', 'items', [
      column('id', 1, 'integer', { notNull: true, identity: 'a' }),
      column('price', 2, 'numeric'),
      column('secret', 3, 'text'),
      column('total', 4, 'numeric', { generated: '(price * 2)' }),
      column('old_name', 5, 'text'),
    ], [constraint('items_pkey', 'p', ['id'])]);
    const opts = {
      tables: {
        'public.items': { skip: false, where: 'price > 0', mode: 'insert' as const, rename: { old_name: 'new_name' }, drop: ['secret'], cast: { price: 'numeric(12,2)' } },
        users: { skip: true, where: null, mode: null, rename: {}, drop: [], cast: {} },
      },
      schemaRename: { public: 'app' },
    };
    const copies = planData(snapshot([t, users]), opts);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toEqual({
      id: 'data:public.items',
      source: { schema: 'public', table: 'items' },
      target: { schema: 'app', table: 'items' },
      columns: [
        { source: 'id', target: 'id', cast: null },
        { source: 'price', target: 'price', cast: 'numeric(12,2)' },
        { source: 'old_name', target: 'new_name', cast: null },
      ],
      generated: [{ source: 'total', target: 'total', expression: '(price * 2)' }],
      key: ['id'],
      chunking: 'range',
      where: 'price > 0',
      mode: 'insert',
      overridingSystemValue: true,
      estimatedRows: 10,
      order: 0,
    });
  });

  it('copies leaf partitions, never the partitioned parent, and orders them before referencing tables', () => {
    const parent = table('public', 'events', [id(), column('at', 2, 'date')], [constraint('events_pkey', 'p', ['id'])], { kind: 'p', partitionKey: 'RANGE (id)' });
    const mid = table('public', 'events_2024', [id()], [], { kind: 'p', partitionOf: 'public.events' });
    const leafA = table('public', 'events_2024_a', [id()], [], { partitionOf: 'public.events_2024' });
    const leafB = table('public', 'events_2025', [id()], [], { partitionOf: 'public.events' });
    const ref = table('public', 'a_ref', [id()], [constraint('a_ref_ev', 'f', ['id'], 'public.events')]);
    const copies = planData(snapshot([ref, parent, mid, leafA, leafB]), noOptions);
    expect(copies.map((c) => c.id)).toEqual(['data:public.events_2024_a', 'data:public.events_2025', 'data:public.a_ref']);
    expect(copies[0].key).toEqual(['id']);
    expect(copies[0].chunking).toBe('range');
  });

  it('is deterministic whatever the input order', () => {
    const tables = [posts, users, alpha];
    expect(planData(snapshot([...tables].reverse()), noOptions)).toEqual(planData(snapshot(tables), noOptions));
  });
});

describe('planSequenceResets', () => {
  it('lists sequences and identity columns, renamed and sorted', () => {
    const seq = { schema: 'public', name: 'orders_no_seq', dataType: 'bigint', start: '1', increment: '1', min: '1', max: '9', cache: '1', cycle: false, ownedBy: null, comment: null };
    const t = table('public', 'items', [column('id', 1, 'integer', { identity: 'd' }), column('n', 2)]);
    expect(planSequenceResets(snapshot([t], { sequences: [seq] }), { public: 'app' })).toEqual([
      { kind: 'identity', source: { schema: 'public', table: 'items', column: 'id' }, target: { schema: 'app', table: 'items', column: 'id' } },
      { kind: 'sequence', source: { schema: 'public', name: 'orders_no_seq' }, target: { schema: 'app', name: 'orders_no_seq' } },
    ]);
  });
});
