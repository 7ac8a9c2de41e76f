import { buildNameMap } from '../../../src/plan/schema';
import { tableStep } from '../../../src/plan/schema/tables';
import { column, emptySnapshot, table } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: {} });
const opts = { jsonToJsonb: false, serialToIdentity: new Set<string>() };

describe('table options', () => {
  it('keeps UNLOGGED, storage parameters, column STORAGE, statistics and n_distinct', () => {
    const t = table('public', 'peers', [
      column('name', 'text', { storage: 'm', statistics: 500 }),
      column('node', 'bigint', { options: ['n_distinct=-0.02'] }),
    ], { unlogged: true, options: ['autovacuum_enabled=false', 'fillfactor=70'] });
    expect(tableStep(t, names, opts).sql).toBe([
      'create unlogged table "public"."peers" (',
      '  "name" text,',
      '  "node" bigint',
      ');',
      'alter table "public"."peers" set (autovacuum_enabled=false, fillfactor=70);',
      'alter table only "public"."peers" alter column "name" set storage main;',
      'alter table only "public"."peers" alter column "name" set statistics 500;',
      'alter table only "public"."peers" alter column "node" set (n_distinct=-0.02);',
      '',
    ].join('\n'));
  });

  it('writes nothing more for a table without options', () => {
    const t = table('public', 'plain', [column('id', 'integer')]);
    expect(tableStep(t, names, opts).sql).toBe('create table "public"."plain" (\n  "id" integer\n);\n');
  });
});
