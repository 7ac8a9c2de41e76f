import { analyze } from '../../src/analyze';
import { renderAnalysis } from '../../src/cli/render/analysis';
import { renderInitSpec } from '../../src/init';
import { column, fk, id, shuffled, snapshot, table } from './builder';
import { elearning } from './fixtures';

/** The fixture plus a cycle, roles, extensions and sequences, so every list has several members. */
function busy() {
  const base = elearning();
  return snapshot({
    ...base,
    tables: [
      ...base.tables,
      table('billing.invoices', [id(), column('order_id', 'int8'), column('price', 'money')], { fks: [fk('inv_order', 'order_id', 'billing.orders')], owner: 'billing_owner' }),
      table('billing.orders', [id(), column('invoice_id', 'int8')], { fks: [fk('ord_inv', 'invoice_id', 'billing.invoices')], grants: [{ grantee: 'reporting', privileges: ['SELECT'] }] }),
      table('public.log', [column('line', 'text')]),
    ],
    schemas: [{ name: 'billing', owner: 'postgres', comment: null }, { name: 'public', owner: 'postgres', comment: null }],
    extensions: [{ name: 'lo', schema: 'public', version: '1', members: [] }, { name: 'vector', schema: 'extensions', version: '0.8', members: [] }],
  });
}

describe('analyze', () => {
  it('counts the summary', () => {
    const s = analyze(elearning()).summary;
    expect(s).toMatchObject({ schemas: 1, tables: 5, columns: 22, enums: 1, triggers: 1, views: 0 });
  });

  it('returns deeply frozen data', () => {
    const a = analyze(elearning());
    expect(Object.isFrozen(a.patterns[0])).toBe(true);
    expect(Object.isFrozen(a.relationships.edges[0].columns)).toBe(true);
  });

  it.each([1, 7, 42, 1234])('gives identical output for shuffled input (seed %i)', (seed) => {
    const original = busy();
    const other = shuffled(original, seed);
    expect(other.tables.map((t) => t.name)).not.toEqual(original.tables.map((t) => t.name));
    expect(analyze(other)).toEqual(analyze(original));
    expect(renderAnalysis(analyze(other))).toBe(renderAnalysis(analyze(original)));
    const opts = { name: 'app', sourceUrlExpr: '${SOURCE_DATABASE_URL}', targetUrlExpr: '${TARGET_DATABASE_URL}' };
    expect(renderInitSpec(other, analyze(other), opts)).toBe(renderInitSpec(original, analyze(original), opts));
  });
});
