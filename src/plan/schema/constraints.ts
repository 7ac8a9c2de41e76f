import type { Constraint, Table } from '../../introspect/snapshot';
import { ident, qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

const KIND_NAMES: Record<string, string> = {
  p: 'primary-key',
  u: 'unique',
  x: 'exclusion',
  f: 'foreign-key',
  c: 'check',
};

/**
 * Constraints added after the data: keys and exclusions first (foreign keys need them), then
 * foreign keys, then check constraints that the source holds as NOT VALID.
 */
export function constraintSteps(t: Table, names: NameMap, kinds: Constraint['kind'][]): Step[] {
  const table = qname(names.schema(t.schema), t.name);
  return t.constraints
    .filter((c) => kinds.includes(c.kind))
    .filter((c) => c.kind !== 'c' || !c.validated)
    .map((c) =>
      step(
        `${KIND_NAMES[c.kind]}:${names.schema(t.schema)}.${t.name}.${c.name}`,
        'post-data',
        KIND_NAMES[c.kind],
        `alter table ${table} add constraint ${ident(c.name)} ${names.rewrite(c.definition)};${commentSql(
          `constraint ${ident(c.name)} on ${table}`,
          c.comment,
        )}`,
        `alter table ${table} drop constraint ${ident(c.name)};`,
      ),
    );
}
