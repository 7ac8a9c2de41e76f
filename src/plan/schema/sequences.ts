import type { Sequence } from '../../introspect/snapshot';
import { ident, qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

export function sequenceSteps(sequences: Sequence[], names: NameMap): Step[] {
  return sequences.map((s) => {
    const name = qname(names.schema(s.schema), s.name);
    const sql = [
      `create ${s.unlogged ? 'unlogged ' : ''}sequence ${name}`,
      `  as ${s.dataType}`,
      `  increment by ${s.increment}`,
      `  minvalue ${s.min} maxvalue ${s.max}`,
      `  start with ${s.start} cache ${s.cache}${s.cycle ? ' cycle' : ' no cycle'};`,
    ].join('\n');
    return step(
      `sequence:${names.schema(s.schema)}.${s.name}`,
      'pre-data',
      'sequence',
      `${sql}${commentSql(`sequence ${name}`, s.comment)}`,
      `drop sequence ${name};`,
    );
  });
}

/** OWNED BY ties a serial's sequence to its column; it needs the table, so it comes after. */
export function sequenceOwnershipSteps(sequences: Sequence[], names: NameMap): Step[] {
  return sequences
    .filter((s) => s.ownedBy !== null)
    .map((s) => {
      const name = qname(names.schema(s.schema), s.name);
      const [schema, table, ...column] = splitOwner(s.ownedBy as string);
      const owner = `${qname(names.schema(schema), table)}.${ident(column.join('.'))}`;
      return step(
        `sequence-owner:${names.schema(s.schema)}.${s.name}`,
        'pre-data',
        'sequence-owner',
        `alter sequence ${name} owned by ${owner};`,
        `alter sequence ${name} owned by none;`,
      );
    });
}

/** `schema.table.column` as the introspector writes it (names are not quoted there). */
function splitOwner(ownedBy: string): string[] {
  return ownedBy.split('.');
}
