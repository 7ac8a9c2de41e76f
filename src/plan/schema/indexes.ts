import type { Index } from '../../introspect/snapshot';
import { qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

/**
 * Indexes that no constraint creates. A partitioned parent's index is printed `ON ONLY`; without
 * ONLY it cascades to the partitions, which is what re-creating the whole tree needs.
 */
export function indexSteps(schema: string, indexes: Index[], names: NameMap): Step[] {
  return indexes
    .filter((i) => i.constraint === null)
    .map((i) => {
      const name = qname(names.schema(schema), i.name);
      const sql = names.rewrite(i.definition).replace(/ ON ONLY /, ' ON ');
      const stats = (i.statistics ?? [])
        .map((x) => `\nalter index ${name} alter column ${x.column} set statistics ${x.target};`)
        .join('');
      return step(
        `index:${names.schema(schema)}.${i.name}`,
        'post-data',
        'index',
        `${sql};${stats}${commentSql(`index ${name}`, i.comment)}`,
        `drop index ${name};`,
      );
    });
}
