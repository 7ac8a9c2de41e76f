import type { Collation } from '../../introspect/snapshot';
import { literal, qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

/** The options of CREATE COLLATION, as the provider takes them. */
function collationOptions(c: Collation): string[] {
  const out =
    c.provider === 'i'
      ? ['provider = icu', `locale = ${literal(c.locale ?? '')}`]
      : ['provider = libc', `lc_collate = ${literal(c.lcCollate ?? '')}`, `lc_ctype = ${literal(c.lcCtype ?? '')}`];
  if (!c.deterministic) out.push('deterministic = false');
  if (c.rules !== null) out.push(`rules = ${literal(c.rules)}`);
  return out;
}

/** ICU and libc collations; the database's default provider cannot be named in CREATE COLLATION. */
export function collationSteps(collations: Collation[], names: NameMap): Step[] {
  return collations
    .filter((c) => c.provider !== 'd')
    .map((c) => {
      const name = qname(names.schema(c.schema), c.name);
      return step(
        `collation:${names.schema(c.schema)}.${c.name}`,
        'pre-data',
        'collation',
        `create collation ${name} (${collationOptions(c).join(', ')});${commentSql(`collation ${name}`, c.comment)}`,
        `drop collation ${name};`,
      );
    });
}
