import { introspect, introspectInTransaction, snapshotToJson, type Snapshot, type Table } from '../../src/introspect';
import { chinookSql, exoticSql, freshDatabase, targets, type TestDatabase } from './targets';

const table = (s: Snapshot, schema: string, name: string): Table => {
  const found = s.tables.find((t) => t.schema === schema && t.name === name);
  if (!found) throw new Error(`no table ${schema}.${name}`);
  return found;
};
const column = (t: Table, name: string) => t.columns.find((c) => c.name === name);

describe.each(targets)('introspect on %s', (target) => {
  let tdb: TestDatabase;
  let snap: Snapshot;
  let chinookLoadMs = 0;

  beforeAll(async () => {
    tdb = await freshDatabase(target, 'introspect');
    await tdb.db.exec(exoticSql);
    const started = Date.now();
    await tdb.db.exec(chinookSql);
    chinookLoadMs = Date.now() - started;
    // A platform schema next to the application: it must stay out of the snapshot, yet stay referable.
    await tdb.db.exec(`create schema auth; create table auth.users (id uuid primary key, email text);
      create table audit.login (user_id uuid not null references auth.users (id), at timestamptz);`);
    // Settle statistics and visibility maps now, so autovacuum cannot change sizes between two runs.
    await tdb.db.exec('vacuum analyze');
    snap = await introspect(tdb.db);
  });

  afterAll(async () => {
    await tdb?.drop();
  });

  it('reads the application schemas and leaves platform schemas out', () => {
    expect(snap.serverVersion).toBe(target === 'pglite' ? 18 : 15);
    expect(snap.schemas.map((s) => s.name)).toEqual(['app', 'audit', 'public']);
    expect(snap.schemas[0].comment).toBe('Application tables');
    const count = (schema: string) => snap.tables.filter((t) => t.schema === schema).length;
    expect([count('app'), count('audit'), count('public')]).toEqual([5, 7, 11]);
    expect(snap.tables.some((t) => t.schema === 'auth')).toBe(false);
  });

  it('describes identity, serial, generated, array and collated columns', () => {
    const productId = column(table(snap, 'app', 'product'), 'id');
    expect(productId?.identity).toBe('a');
    expect(productId?.identitySequence).toEqual({ start: '1000', increment: '10', min: '1', max: '9223372036854775807', cache: '1', cycle: false });
    expect(column(table(snap, 'app', 'orders'), 'id')?.identity).toBe('d');
    expect(column(table(snap, 'app', 'product'), 'price_with_tax')?.generated).toMatch(/price\)?(::numeric)? \* 1\.2/);
    expect(column(table(snap, 'app', 'product'), 'title')?.collation).toBe('pg_catalog."C"');
    expect(column(table(snap, 'app', 'product'), 'sku')?.collation).toBeNull();
    const customer = table(snap, 'app', 'customer');
    expect(column(customer, 'id')?.default).toBe("nextval('app.customer_id_seq'::regclass)");
    expect(column(customer, 'tags')).toMatchObject({ type: 'text[]', typeSchema: 'pg_catalog', typeName: 'text', isArray: true });
    expect(column(customer, 'email')).toMatchObject({ type: 'public.citext', typeName: 'citext', comment: 'Login, case-insensitive' });
    expect(customer.columns.map((c) => c.position)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('lists free and serial sequences, not identity sequences', () => {
    const names = snap.sequences.map((s) => `${s.schema}.${s.name}`);
    expect(names).toEqual(['app.booking_id_seq', 'app.customer_id_seq', 'app.invoice_number', 'audit.base_log_id_seq']);
    const invoice = snap.sequences.find((s) => s.name === 'invoice_number');
    expect(invoice).toMatchObject({ start: '5000', increment: '5', max: '9223372036854775000', ownedBy: null });
    expect(snap.sequences.find((s) => s.name === 'customer_id_seq')?.ownedBy).toBe('app.customer.id');
  });

  it('reads constraints with their columns and references', () => {
    const fk = table(snap, 'app', 'orders').constraints.find((c) => c.name === 'orders_customer_fk');
    expect(fk).toMatchObject({ kind: 'f', refTable: 'app.customer', refColumns: ['id'], deferrable: true, columns: ['customer_id'] });
    expect(fk?.definition).toContain('DEFERRABLE INITIALLY DEFERRED');
    expect(table(snap, 'audit', 'login').constraints[0]).toMatchObject({ refTable: 'auth.users', refColumns: ['id'], columns: ['user_id'] });
    const line = table(snap, 'app', 'order_line');
    expect(line.constraints.find((c) => c.kind === 'p')?.columns).toEqual(['order_id', 'line_no']);
    expect(table(snap, 'app', 'booking').constraints.find((c) => c.kind === 'x')?.definition).toBe('EXCLUDE USING gist (during WITH &&)');
    expect(table(snap, 'public', 'track').constraints.filter((c) => c.kind === 'f').map((c) => c.refTable).sort())
      .toEqual(['public.album', 'public.genre', 'public.media_type']);
  });

  it('keeps raw names and quoted definitions for names that need quoting', () => {
    const weird = table(snap, 'audit', 'Weird Name');
    expect(weird.columns.map((c) => c.name)).toEqual(['Mixed Col', 'select']);
    expect(weird.constraints[0]).toMatchObject({ kind: 'p', columns: ['Mixed Col'], definition: 'PRIMARY KEY ("Mixed Col")' });
    expect(weird.indexes[0].definition).toContain('ON audit."Weird Name" USING btree ("Mixed Col")');
  });

  it('reads partial, expression and constraint indexes', () => {
    const orders = table(snap, 'app', 'orders');
    expect(orders.indexes.find((i) => i.name === 'orders_open_idx')).toMatchObject({ partial: true, constraint: null, columns: ['placed_at'] });
    expect(orders.indexes.find((i) => i.name === 'orders_pkey')).toMatchObject({ primary: true, constraint: 'orders_pkey' });
    // Key columns only (not INCLUDE ones), plain names raw and expressions as printed.
    expect(orders.indexes.find((i) => i.name === 'orders_cover_idx')?.columns).toEqual(['customer_id', '((id % 10))']);
    expect(table(snap, 'app', 'product').indexes.find((i) => i.name === 'product_lower_title_idx')?.columns).toEqual(['lower(title)']);
  });

  it('reads partitions and inheritance, leaving out what the parent creates', () => {
    const event = table(snap, 'audit', 'event');
    expect(event).toMatchObject({ kind: 'p', partitionKey: 'RANGE (happened_at)', partitionOf: null });
    expect(event.indexes.map((i) => i.name)).toEqual(['event_happened_idx', 'event_pkey']);
    const part = table(snap, 'audit', 'event_2025');
    expect(part.partitionOf).toBe('audit.event');
    expect(part.partitionBound).toMatch(/^FOR VALUES FROM \('2025-01-01 00:00:00[+-]/);
    expect(part.indexes).toEqual([]);
    expect(part.constraints).toEqual([]);
    const child = table(snap, 'audit', 'special_log');
    expect(child.inherits).toEqual(['audit.base_log']);
    expect(child.constraints).toEqual([]);
  });

  it('reads security: RLS flags, policies, grants and the roles they name', () => {
    const orders = table(snap, 'app', 'orders');
    expect([orders.rlsEnabled, orders.rlsForced]).toEqual([true, true]);
    expect(orders.grants).toEqual([{ grantee: 'sm_exotic_reader', privileges: ['INSERT', 'SELECT'] }]);
    expect(table(snap, 'app', 'product').grants).toEqual([{ grantee: 'public', privileges: ['SELECT'] }]);
    expect(snap.policies.map((p) => [p.name, p.command, p.permissive, p.roles])).toEqual([
      ['orders_everyone', 'a', false, ['public']],
      ['orders_reader', 'r', true, ['sm_exotic_reader']],
    ]);
    expect(snap.policies[1].using).toBe("(status <> 'cancelled'::app.order_status)");
    expect(snap.roles.map((r) => r.name)).toEqual(['sm_exotic_reader']);
    expect(snap.roles[0]).toMatchObject({ canLogin: false, superuser: false });
  });

  it('reads views with their dependencies and materialized view indexes', () => {
    const view = (name: string) => snap.views.find((v) => v.name === name);
    expect(view('customer_paid')?.dependsOn).toEqual(['app.customer', 'app.paid_orders']);
    expect(view('customer_paid')?.grants).toEqual([{ grantee: 'sm_exotic_reader', privileges: ['SELECT'] }]);
    expect(view('customer_paid')?.columns.map((c) => c.name)).toEqual(['id', 'email', 'paid_count']);
    expect(view('paid_orders')?.options).toEqual(['security_invoker=true']);
    expect(view('product_sales')).toMatchObject({ materialized: true, dependsOn: ['app.order_line'] });
    expect(view('product_sales')?.indexes.map((i) => i.name)).toEqual(['product_sales_product_idx']);
  });

  it('reads routines and triggers, and leaves extension functions to the extension', () => {
    expect(snap.functions.map((f) => `${f.kind} ${f.schema}.${f.name}(${f.identityArgs})`)).toEqual([
      'p app.cancel_order(IN p_order integer, INOUT p_done boolean)',
      'f app.customer_orders(p_customer integer)',
      'a app.join_all(text)',
      'f app.join_step(acc text, item text)',
      'f app.order_total(p_order integer, p_discount numeric)',
      'a app.product_of(numeric)',
      'f app.touch_placed_at()',
    ]);
    expect(snap.functions.find((f) => f.name === 'product_of')?.definition).toBe(
      'CREATE AGGREGATE app.product_of(numeric) (SFUNC = numeric_mul, STYPE = numeric)',
    );
    const total = snap.functions.find((f) => f.name === 'order_total');
    expect(total?.args.map((a) => [a.name, a.hasDefault])).toEqual([['p_order', false], ['p_discount', true]]);
    expect(total?.comment).toBe('Sum of the lines of an order');
    expect(snap.functions.find((f) => f.name === 'customer_orders')).toMatchObject({ returns: 'SETOF app.orders', returnsSet: true, dependsOn: ['app.orders'] });
    expect(snap.functions.find((f) => f.name === 'touch_placed_at')?.securityDefiner).toBe(true);
    expect(snap.functions.find((f) => f.name === 'join_all')).toMatchObject({ kind: 'a', definition: 'CREATE AGGREGATE app.join_all(text) (SFUNC = app.join_step, STYPE = text)', returns: 'text' });
    const citext = snap.extensions.find((e) => e.name === 'citext');
    expect(citext?.members).toEqual(expect.arrayContaining(['public.citext', 'public.citext_eq']));
    expect(snap.triggers.map((t) => [t.table, t.name, t.function])).toEqual([['orders', 'orders_touch', 'app.touch_placed_at']]);
  });

  it('reads enums, domains and composite types', () => {
    expect(snap.enums).toEqual([{ schema: 'app', name: 'order_status', values: ['new', 'paid', 'shipped', 'cancelled'], comment: 'Lifecycle of an order' }]);
    expect(snap.domains[0]).toMatchObject({ name: 'positive_money', baseType: 'numeric(12,2)', notNull: true, default: '0' });
    expect(snap.domains[0].checks.map((c) => c.name)).toEqual(['positive_money_check']);
    expect(snap.composites[0].attributes.map((a) => [a.name, a.collation])).toEqual([['street', null], ['city', 'pg_catalog."C"'], ['zip', null]]);
  });

  it('reads Chinook statistics after analyze', () => {
    expect(table(snap, 'public', 'track').estimatedRows).toBe(3503);
    expect(table(snap, 'public', 'track').sizeBytes).toBeGreaterThan(0);
    if (target === 'pglite') expect(chinookLoadMs).toBeLessThan(30_000);
  });

  it('gives byte-identical JSON when run twice', async () => {
    const again = await introspect(tdb.db);
    expect(snapshotToJson(again)).toBe(snapshotToJson(snap));
  });

  it('reads what each object depends on from the catalog, named as the planner keys objects', () => {
    const deps = new Map((snap.dependencies ?? []).map((d) => [d.object, d.dependsOn]));
    expect(deps.get('app.join_all(text)')).toEqual(['app.join_step(acc text, item text)']);
    expect(deps.get('app.customer_paid')).toEqual(['app.customer', 'app.paid_orders', 'public.citext']);
    expect(deps.get('app.customer_orders(p_customer integer)')).toEqual(['app.orders']);
    expect(deps.get('app.product')).toContain('app.positive_money');
    // a serial column's sequence is owned by the column, which is not an order of creation
    expect(deps.get('app.customer_id_seq')).toBeUndefined();
  });

  it('writes keys in the order the Snapshot interface declares them', () => {
    expect(Object.keys(snap)).toEqual([
      'formatVersion', 'serverVersion', 'schemas', 'extensions', 'enums', 'domains', 'composites', 'sequences', 'tables',
      'views', 'functions', 'triggers', 'policies', 'roles',
      // the fixture grants to a role of its own (sm_exotic_reader): those grants are carried
      'roleGrants',
      // PUBLIC may execute its functions (no ACL: Postgres's default)
      'apiGrants',
      'dependencies',
      // auth.users exists in this source: its rows would move (a Supabase-native source)
      'supabaseTables',
    ]);
    const orders = table(snap, 'app', 'orders');
    expect(Object.keys(orders)).toEqual([
      'schema', 'name', 'kind', 'columns', 'constraints', 'indexes', 'partitionOf', 'partitionBound', 'partitionKey',
      'inherits', 'rlsEnabled', 'rlsForced', 'replicaIdentity', 'owner', 'estimatedRows', 'sizeBytes', 'comment', 'grants',
    ]);
    expect(Object.keys(orders.columns[0])).toEqual([
      'name', 'position', 'type', 'typeSchema', 'typeName', 'isArray', 'notNull', 'default', 'identity',
      'identitySequence', 'generated', 'collation', 'comment',
    ]);
    const sorted = [...snap.tables].sort((a, b) => (a.schema + '.' + a.name < b.schema + '.' + b.name ? -1 : 1));
    expect(snap.tables.map((t) => t.name)).toEqual(sorted.map((t) => t.name));
  });

  it('reads the same inside a caller transaction and puts search_path back', async () => {
    const { inside, path } = await tdb.db.transaction(async (tx) => {
      await tx.exec('set local search_path = app, public');
      const read = await introspectInTransaction(tx);
      const after = await tx.query<{ p: string }>(`select current_setting('search_path') as p`);
      return { inside: read, path: after.rows[0].p };
    });
    expect(path).toBe('app, public');
    expect(snapshotToJson(inside)).toBe(snapshotToJson(snap));
  });

  it('applies schema filters', async () => {
    const onlyAudit = await introspect(tdb.db, { includeSchemas: ['audit'] });
    expect(onlyAudit.schemas.map((s) => s.name)).toEqual(['audit']);
    expect(new Set(onlyAudit.tables.map((t) => t.schema))).toEqual(new Set(['audit']));
    const withoutPublic = await introspect(tdb.db, { excludeSchemas: ['public'] });
    expect(withoutPublic.tables.filter((t) => t.schema === 'public')).toEqual([]);
    expect(withoutPublic.tables).toHaveLength(12);
  });
});
