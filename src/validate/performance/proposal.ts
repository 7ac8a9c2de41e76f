import type { Snapshot } from '../../introspect/snapshot';
import type { SecurityContext } from '../../plan/security/context';
import type { ValuePick } from '../../spec/performance';
import { dataApiWorkload } from './data-api';
import { statementWorkload, type TopStatement } from './statements';
import type { ClaimSource, ValueSource, WorkloadQuery } from './types';

/**
 * The `performance:` section `init` proposes, so the workload is reviewed in the pull request:
 * the source's top read-only statements as named queries, and the list of the Data API queries
 * validate generates from the plan. Only how each value is picked is written, never a value:
 * sampled keys and claims are real people's data and stay in the state folder.
 */
const scalar = (value: string): string => JSON.stringify(value);
const comment = (text: string, indent: string): string => `${indent}# ${text.replace(/[\r\n]+/g, ' ')}`.trimEnd();

const pickText = (v: ValueSource): string =>
  'constant' in v ? v.constant : `${v.pick === 'most_rows' ? 'the most frequent' : 'the smallest'} ${v.column}`;

/** LIMIT/OFFSET constants written into the text, the other parameters renumbered from $1. */
export function inlineConstants(sql: string, params: ValueSource[]): { sql: string; picks: ValuePick[] } {
  const kept: ValuePick[] = [];
  const number = new Map<number, string>();
  params.forEach((p, i) => {
    if ('constant' in p) number.set(i + 1, p.constant);
    else number.set(i + 1, `$${kept.push(p)}`);
  });
  return { sql: sql.replace(/\$(\d+)(?![0-9])/g, (m, n: string) => number.get(Number(n)) ?? m), picks: kept };
}

function statementLines(top: TopStatement[], snapshot: Snapshot): string[] {
  const work = statementWorkload(top, snapshot);
  const calls = new Map(top.map((s) => [s.query, s]));
  const out = work.queries.flatMap((q) => {
    const { sql, picks } = inlineConstants(q.sql, q.params);
    const s = calls.get(q.sql);
    return [
      `    - name: ${scalar(q.name)}`,
      ...(s ? [comment(`${s.calls} calls, ${s.totalMs.toFixed(1)} ms in all on the source`, '      ')] : []),
      `      sql: ${scalar(sql)}`,
      ...(picks.length > 0 ? ['      params:'] : []),
      ...picks.map((p) => `        - { column: ${scalar(p.column)}, pick: ${p.pick} }`),
      '      as: { role: postgres }',
    ];
  });
  const left = work.skipped.map((s) => comment(`left out (${s.reason}): ${s.sql.slice(0, 100)}`, '  '));
  return [...left, ...(out.length > 0 ? ['  queries:', ...out] : [])];
}

const claimText = (c: ClaimSource): string => `${c.path.join('.')} = ${pickText(c.value)}`;

function dataApiLine(q: WorkloadQuery): string {
  const params = q.params.map((p, i) => `$${i + 1} = ${pickText(p)}`);
  const claims = q.claims.filter((c) => c.path.join('.') !== 'role').map(claimText);
  const parts = [...params, ...(claims.length > 0 ? [`claims ${claims.join(', ')}`] : [])];
  return comment(`${q.name}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`, '  ');
}

/** The proposed section; `top` is [] when the source has no pg_stat_statements. */
export function performanceProposal(top: TopStatement[], snapshot: Snapshot, ctx: SecurityContext): string[] {
  const api = dataApiWorkload(ctx);
  return [
    '',
    comment('validate --performance times these on the source and on the target (median of `runs`).', ''),
    comment('A query regresses above `threshold` times the source and `floor_ms` slower, or when its plan', ''),
    comment('loses an index, calls auth.*() per row, or adds a per-row SubPlan. Values are picked from the', ''),
    comment('source when validate first runs and kept in the git-ignored state folder; none is written here.', ''),
    'performance:',
    '  threshold: 1.5',
    '  floor_ms: 2',
    comment('the top read-only statements of pg_stat_statements at validate time; those listed below run once', '  '),
    '  top_statements: 10',
    comment(`the Data API queries generated from the plan (${api.length}), as each role sends them:`, '  '),
    ...api.map(dataApiLine),
    '  data_api: true',
    ...(top.length > 0
      ? [comment("the source's top read-only statements at init, by total time (pg_stat_statements):", '  ')]
      : [comment('pg_stat_statements is not installed on the source: no top statements were proposed', '  ')]),
    ...statementLines(top, snapshot),
  ];
}
