import type { Cast, Operator } from '../../introspect/snapshot';
import { ident } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

const CONTEXT: Record<Cast['context'], string> = { e: '', a: ' as assignment', i: ' as implicit' };

export const castKey = (c: Cast): string => `cast:(${c.source} as ${c.target})`;
export const operatorKey = (o: Operator): string =>
  `operator:${o.schema}.${o.name}(${o.left ?? 'none'},${o.right ?? 'none'})`;

/** CREATE CAST with its function, as binary coercible, or through I/O. */
export function castStep(c: Cast, names: NameMap): Step {
  const types = `(${names.rewrite(c.source)} as ${names.rewrite(c.target)})`;
  const how =
    c.method === 'f' && c.signature
      ? `with function ${names.rewrite(c.signature)}`
      : c.method === 'i'
        ? 'with inout'
        : 'without function';
  return step(
    names.rewrite(castKey(c)),
    'pre-data',
    'cast',
    `create cast ${types} ${how}${CONTEXT[c.context]};${commentSql(`cast ${types}`, c.comment)}`,
    `drop cast ${types};`,
  );
}

/** CREATE OPERATOR over its function; a commutator or negator not made yet becomes a shell Postgres fills in later. */
export function operatorStep(o: Operator, names: NameMap): Step {
  const name = `${ident(names.schema(o.schema))}.${o.name}`;
  const options = [`function = ${names.rewrite(o.procedure)}`];
  if (o.left) options.push(`leftarg = ${names.rewrite(o.left)}`);
  if (o.right) options.push(`rightarg = ${names.rewrite(o.right)}`);
  if (o.commutator) options.push(`commutator = ${names.rewrite(o.commutator)}`);
  if (o.negator) options.push(`negator = ${names.rewrite(o.negator)}`);
  if (o.restrict) options.push(`restrict = ${names.rewrite(o.restrict)}`);
  if (o.join) options.push(`join = ${names.rewrite(o.join)}`);
  if (o.hashes) options.push('hashes');
  if (o.merges) options.push('merges');
  const signature = `${name} (${o.left ? names.rewrite(o.left) : 'none'}, ${o.right ? names.rewrite(o.right) : 'none'})`;
  return step(
    `operator:${names.schema(o.schema)}.${o.name}(${o.left ?? 'none'},${o.right ?? 'none'})`,
    'pre-data',
    'operator',
    `create operator ${name} (${options.join(', ')});${commentSql(`operator ${signature}`, o.comment)}`,
    `drop operator ${signature};`,
  );
}
