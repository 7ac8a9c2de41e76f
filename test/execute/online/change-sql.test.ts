import { columnDrift, deleteSql, insertSql, updateSql } from '../../../src/execute/online/change-sql';
import type { TableCopy } from '../../../src/plan/data/types';

const copy: TableCopy = {
  id: 'data:app.items',
  source: { schema: 'app', table: 'items' },
  target: { schema: 'shop', table: 'items' },
  columns: [
    { source: 'id', target: 'id', cast: null },
    { source: 'body', target: 'body', cast: null },
  ],
  key: ['id'],
  chunking: 'range',
  where: null,
  mode: 'auto',
  overridingSystemValue: true,
  estimatedRows: 0,
  order: 0,
};

describe('SQL for streamed changes', () => {
  it('inserts into the target name, overriding identity values', () => {
    expect(insertSql(copy, { id: '1', body: null })).toEqual({
      sql: 'insert into "shop"."items" ("id", "body") overriding system value values ($1, $2)',
      params: ['1', null],
    });
  });

  it('leaves an unchanged TOAST value out of the SET and finds the row by its old key', () => {
    expect(updateSql(copy, ['id'], { id: '1' }, { id: '2', body: undefined })).toEqual({
      sql: 'update "shop"."items" set "id" = $1 where "id" = $2',
      params: ['2', '1'],
    });
  });

  it('deletes one matching row by every old value when the identity is FULL', () => {
    expect(deleteSql(copy, [], { id: '1', body: 'x' }).sql).toBe(
      'delete from "shop"."items" where ctid = (select ctid from "shop"."items" where "id" is not distinct from $1 ' +
        'and "body" is not distinct from $2 limit 1)',
    );
  });

  it('reports columns added or dropped on the source', () => {
    expect(columnDrift(copy, ['id', 'extra'])).toEqual({ added: ['extra'], dropped: ['body'] });
  });
});
