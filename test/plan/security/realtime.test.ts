import type { Constraint } from '../../../src/introspect/snapshot';
import { planSecurity } from '../../../src/plan/security';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { specFor } from '../../helpers/spec';

const pk: Constraint = { name: 'chat_pkey', kind: 'p', definition: 'PRIMARY KEY (id)', columns: ['id'], refTable: null, refColumns: [], validated: true, deferrable: false, comment: null };
const chat = table('legacy', 'chat', [column('id', 'bigint')], { constraints: [pk] });
const feed = table('public', 'feed', [column('at', 'timestamptz')]);
const snapshot = emptySnapshot({ schemas: [{ name: 'legacy', owner: 'postgres', comment: null }, { name: 'public', owner: 'postgres', comment: null }], tables: [chat, feed] });

const plan = (tables: string[]) => {
  const spec = specFor('/p', { schema: { ...specFor('/p').schema, renameSchemas: { legacy: 'archive' } } });
  return planSecurity(snapshot, { ...spec, realtime: { tables } }).steps.filter((s) => s.kind === 'publication');
};

describe('realtime publication', () => {
  it('adds each table once, if absent, under its target name; drops it on the way down', () => {
    const [step] = plan(['legacy.chat']);
    expect(step.id).toBe('security:realtime:archive.chat');
    expect(step.sql).toBe([
      'do $realtime$ begin',
      `  if not exists (select from pg_catalog.pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'archive' and tablename = 'chat') then`,
      '    alter publication supabase_realtime add table "archive"."chat";',
      '  end if;',
      'end $realtime$;',
      '',
    ].join('\n'));
    expect(step.down).toContain('    alter publication supabase_realtime drop table "archive"."chat";');
    expect(step.down).not.toContain('replica identity');
  });

  it('a table without a primary key gets replica identity full, and default again on the way down', () => {
    const [step] = plan(['public.feed']);
    expect(step.sql.startsWith('alter table "public"."feed" replica identity full;\n')).toBe(true);
    expect(step.down.endsWith('alter table "public"."feed" replica identity default;\n')).toBe(true);
  });

  it('sorted, without security patterns too', () => {
    expect(plan(['public.feed', 'legacy.chat']).map((s) => s.id)).toEqual(['security:realtime:archive.chat', 'security:realtime:public.feed']);
    expect(plan([])).toEqual([]);
  });

  it('names every unknown table at once', () => {
    expect(() => plan(['public.nope', 'public.feed', 'x.y'])).toThrow(/realtime\.tables: no table public\.nope among the migrated tables\n {2}realtime\.tables: no table x\.y/);
  });
});
