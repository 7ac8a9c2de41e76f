import type { RangeType } from '../../introspect/snapshot';
import { qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

/** CREATE TYPE ... AS RANGE; Postgres makes the constructors and the multirange type with it. */
export function rangeSteps(ranges: RangeType[], names: NameMap): Step[] {
  return ranges.map((r) => {
    const name = qname(names.schema(r.schema), r.name);
    const options = [`subtype = ${names.rewrite(r.subtype)}`];
    if (r.subtypeOpclass) options.push(`subtype_opclass = ${names.rewrite(r.subtypeOpclass)}`);
    if (r.collation) options.push(`collation = ${names.rewrite(r.collation)}`);
    if (r.canonical) options.push(`canonical = ${names.rewrite(r.canonical)}`);
    if (r.subtypeDiff) options.push(`subtype_diff = ${names.rewrite(r.subtypeDiff)}`);
    options.push(`multirange_type_name = ${names.rewrite(r.multirange)}`);
    return step(
      `range:${names.schema(r.schema)}.${r.name}`,
      'pre-data',
      'range',
      `create type ${name} as range (${options.join(', ')});${commentSql(`type ${name}`, r.comment)}`,
      `drop type ${name};`,
    );
  });
}
