import type { Trigger } from '../../introspect/snapshot';
import { ident, qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

const DISABLED: Record<string, string> = { D: 'disable', R: 'enable replica', A: 'enable always' };

export function triggerSteps(triggers: Trigger[], names: NameMap): Step[] {
  return triggers.map((t) => {
    const table = qname(names.schema(t.schema), t.table);
    let sql = `${names.rewrite(t.definition)};`;
    const state = DISABLED[t.enabled];
    if (state) sql += `\nalter table ${table} ${state} trigger ${ident(t.name)};`;
    sql += commentSql(`trigger ${ident(t.name)} on ${table}`, t.comment ?? null);
    return step(
      `trigger:${names.schema(t.schema)}.${t.table}.${t.name}`,
      'post-data',
      'trigger',
      sql,
      `drop trigger ${ident(t.name)} on ${table};`,
    );
  });
}
