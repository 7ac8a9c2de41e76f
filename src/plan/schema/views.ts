import type { View } from '../../introspect/snapshot';
import { qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

export function viewStep(v: View, names: NameMap): Step {
  const name = qname(names.schema(v.schema), v.name);
  const definition = names.rewrite(v.definition).replace(/;\s*$/, '');
  const word = v.materialized ? 'materialized view' : 'view';
  const options = v.options.length > 0 ? ` with (${v.options.join(', ')})` : '';
  let sql = v.materialized
    ? `create materialized view ${name}${options} as\n${definition}\nwith no data;`
    : `create view ${name}${options} as\n${definition};`;
  sql += commentSql(`${word} ${name}`, v.comment);
  return step(
    `${v.materialized ? 'materialized-view' : 'view'}:${names.schema(v.schema)}.${v.name}`,
    'pre-data',
    word.replace(' ', '-'),
    sql,
    `drop ${word} ${name};`,
  );
}

/** A materialized view is created empty and filled once its tables have their data. */
export function refreshStep(v: View, names: NameMap): Step {
  const name = qname(names.schema(v.schema), v.name);
  return step(
    `refresh:${names.schema(v.schema)}.${v.name}`,
    'post-data',
    'refresh',
    `refresh materialized view ${name};`,
    // Emptying it again is what undoes a refresh.
    `refresh materialized view ${name} with no data;`,
  );
}
