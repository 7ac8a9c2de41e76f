import type { Routine } from '../../introspect/snapshot';
import { ident, literal, qname } from '../../sql';
import type { VectorDistance } from '../../spec/types';
import { step } from '../schema/step';
import type { Step } from '../types';
import type { VectorColumn } from './columns';

const OPERATOR: Record<VectorDistance, string> = { cosine: '<=>', l2: '<->', inner_product: '<#>' };

/** `match_<table>`, or `match_<table>_<column>` when the table has several vector columns. */
export function matchFunctionName(v: VectorColumn, all: VectorColumn[]): string {
  const several = all.filter((o) => o.table === v.table).length > 1;
  return (several ? `match_${v.table.name}_${v.column.name}` : `match_${v.table.name}`).slice(0, 63);
}

/** What match_threshold means per distance, so the filter keeps the index usable. */
function thresholdFilter(distance: VectorDistance, dist: string): { where: string; meaning: string } {
  if (distance === 'cosine')
    return { where: `${dist} < 1 - match_threshold`, meaning: 'cosine similarity above match_threshold' };
  if (distance === 'inner_product')
    return { where: `${dist} < -match_threshold`, meaning: 'inner product above match_threshold' };
  return { where: `${dist} < match_threshold`, meaning: 'L2 distance below match_threshold' };
}

const ARGS = (v: VectorColumn) => [
  {
    name: 'query_embedding',
    type: `extensions.${v.settings.type}(${v.settings.dimensions})`,
    identity: `extensions.${v.settings.type}`,
  },
  { name: 'match_threshold', type: 'double precision', identity: 'double precision' },
  { name: 'match_count', type: 'integer', identity: 'integer' },
];

export const identityArgs = (v: VectorColumn) =>
  ARGS(v)
    .map((a) => `${a.name} ${a.identity}`)
    .join(', ');

/**
 * Supabase's RPC shape for similarity search, one per vector column: rows of the table nearest to
 * the query, ordered by distance. SECURITY INVOKER so the caller's RLS policies decide which rows
 * come back; an empty search_path with every name qualified; callable by authenticated (and the
 * service role), not by anon.
 */
export function matchFunctionStep(v: VectorColumn, all: VectorColumn[]): Step {
  const name = matchFunctionName(v, all);
  const fn = qname(v.targetSchema, name);
  const table = qname(v.targetSchema, v.table.name);
  const dist = `t.${ident(v.column.name)} operator(extensions.${OPERATOR[v.settings.distance]}) query_embedding`;
  const filter = thresholdFilter(v.settings.distance, dist);
  const signature = `${fn}(${identityArgs(v)})`;
  const sql = [
    `create function ${fn}(${ARGS(v)
      .map((a) => `${a.name} ${a.type}`)
      .join(', ')})`,
    `returns setof ${table}`,
    'language sql stable',
    'security invoker',
    "set search_path = ''",
    'as $$',
    '  select t.*',
    `  from ${table} as t`,
    `  where ${filter.where}`,
    `  order by ${dist}`,
    '  limit match_count',
    '$$;',
    `comment on function ${signature} is ${literal(`Rows of ${v.targetSchema}.${v.table.name} nearest to query_embedding (${filter.meaning}), nearest first; runs with the caller's row level security.`)};`,
    `revoke execute on function ${signature} from public, anon;`,
    `grant execute on function ${signature} to authenticated, service_role;`,
  ].join('\n');
  return step(`vector-function:${v.targetSchema}.${name}`, 'post-data', 'function', sql, `drop function ${signature};`);
}

/** The same function as the catalog will describe it, for the generated TypeScript types. */
export function matchRoutine(v: VectorColumn, all: VectorColumn[]): Routine {
  return {
    schema: v.table.schema,
    name: matchFunctionName(v, all),
    identityArgs: identityArgs(v),
    kind: 'f',
    definition: '',
    language: 'sql',
    returns: `SETOF ${v.table.schema}.${v.table.name}`,
    returnsSet: true,
    securityDefiner: false,
    volatility: 's',
    args: ARGS(v).map((a) => ({ name: a.name, type: a.identity, mode: 'i' as const, hasDefault: false })),
    dependsOn: [`${v.table.schema}.${v.table.name}`],
    owner: 'postgres',
    comment: null,
  };
}
