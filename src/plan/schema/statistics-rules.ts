import type { Rule, StatisticsObject } from '../../introspect/snapshot';
import { ident, qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

const RULE_STATE: Record<string, string> = { D: 'disable', R: 'enable replica', A: 'enable always' };

/** CREATE STATISTICS as Postgres prints it, with its statistics target; after the data, as pg_dump does. */
export function statisticsSteps(objects: StatisticsObject[], names: NameMap): Step[] {
  return objects.map((s) => {
    const name = qname(names.schema(s.schema), s.name);
    const target = s.target === null ? '' : `\nalter statistics ${name} set statistics ${s.target};`;
    return step(
      `statistics:${names.schema(s.schema)}.${s.name}`,
      'post-data',
      'statistics',
      `${names.rewrite(s.definition)};${target}${commentSql(`statistics ${name}`, s.comment)}`,
      `drop statistics ${name};`,
    );
  });
}

/** Rewrite rules, after the data (a DO INSTEAD rule would otherwise redirect the load). */
export function ruleSteps(rules: Rule[], names: NameMap): Step[] {
  return rules.map((r) => {
    const table = qname(names.schema(r.schema), r.table);
    const state = RULE_STATE[r.enabled];
    const lines = [names.rewrite(r.definition).replace(/;?\s*$/, ';')];
    if (state) lines.push(`alter table ${table} ${state} rule ${ident(r.name)};`);
    return step(
      `rule:${names.schema(r.schema)}.${r.table}.${r.name}`,
      'post-data',
      'rule',
      `${lines.join('\n')}${commentSql(`rule ${ident(r.name)} on ${table}`, r.comment)}`,
      `drop rule ${ident(r.name)} on ${table};`,
    );
  });
}
