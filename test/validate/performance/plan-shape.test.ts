import { findings } from '../../../src/validate/performance/compare';
import { keyNodes, type ExplainedPlan, type PlanNode } from '../../../src/validate/performance/plan-shape';
import { redactDeep, redactText } from '../../../src/validate/performance/redact';
import { embedSql, readSql } from '../../../src/validate/performance/postgrest-sql';
import { statementWorkload } from '../../../src/validate/performance/statements';
import type { Snapshot } from '../../../src/introspect/snapshot';

const plan = (root: PlanNode): ExplainedPlan => ({ Plan: root, 'Planning Time': 0.1, 'Execution Time': 1 });
const scan = (over: Partial<PlanNode>): PlanNode => ({
  'Node Type': 'Seq Scan',
  'Relation Name': 'track',
  'Actual Rows': 10,
  'Actual Loops': 1,
  ...over,
});
const nested = (child: PlanNode): PlanNode => ({
  'Node Type': 'Nested Loop',
  Plans: [scan({ 'Relation Name': 'album', 'Node Type': 'Index Scan', 'Index Name': 'album_pkey' }), child],
});
const T = { threshold: 1.5, floorMs: 2 };

describe('plan shape', () => {
  const indexed = plan(
    nested(
      scan({
        'Node Type': 'Index Scan',
        'Index Name': 'track_album_id_idx',
        'Index Cond': '(album_id = album.album_id)',
      }),
    ),
  );
  const seq = plan(nested(scan({ Filter: '(album_id = album.album_id)', 'Rows Removed by Filter': 3490 })));

  it('names the key nodes of both plans', () => {
    expect(keyNodes(indexed)).toEqual([
      'Index Scan using album_pkey on album',
      'Index Scan using track_album_id_idx on track',
    ]);
    expect(keyNodes(seq)).toEqual(['Index Scan using album_pkey on album', 'Seq Scan on track']);
  });

  it('an index path the target lost, filtering many rows, is a finding whatever the time', () => {
    expect(findings(indexed, seq, 1, 1, T).map((f) => f.kind)).toEqual(['lost_index']);
    expect(findings(indexed, indexed, 1, 1, T)).toEqual([]);
  });

  it('a small table scanned whole is not (the planner is right to)', () => {
    const small = plan(nested(scan({ Filter: '(album_id = album.album_id)', 'Rows Removed by Filter': 20 })));
    expect(findings(indexed, small, 1, 1, T)).toEqual([]);
  });

  it('a per-row auth.uid() in a filter over many rows, and a per-row SubPlan', () => {
    const perRow = plan(scan({ Filter: '(auth.uid() = owner_id)', 'Actual Rows': 50, 'Rows Removed by Filter': 5000 }));
    const sub = plan({
      'Node Type': 'Seq Scan',
      'Relation Name': 't',
      Plans: [scan({ 'Parent Relationship': 'SubPlan', 'Subplan Name': 'SubPlan 1', 'Actual Loops': 4000 })],
    });
    expect(findings(null, perRow, null, 1, T).map((f) => f.kind)).toEqual(['per_row_call']);
    expect(findings(null, sub, null, 1, T).map((f) => f.kind)).toEqual(['per_row_subplan']);
    expect(
      findings(null, plan(scan({ Filter: '(owner_id = $0)', 'Rows Removed by Filter': 5000 })), null, 1, T),
    ).toEqual([]);
  });

  it('time counts above the ratio and the floor only', () => {
    expect(findings(indexed, indexed, 10, 14, T)).toEqual([]);
    expect(findings(indexed, indexed, 0.1, 0.9, T)).toEqual([]);
    expect(findings(indexed, indexed, 10, 20, T).map((f) => f.kind)).toEqual(['slower']);
  });
});

describe('PostgREST statements', () => {
  it('a list with a limit, and a one-to-many embed through the foreign key', () => {
    const list = readSql({ schema: 'public', table: 'album', columns: ['album_id', 'title'], where: [] }, 20);
    expect(list).toMatch(
      /^WITH pgrst_source AS \(SELECT "public"\."album"\."album_id", "public"\."album"\."title" FROM "public"\."album" LIMIT 20 OFFSET 0\)/,
    );
    expect(list).toContain("coalesce(json_agg(_postgrest_t), '[]') AS body");
    const embed = embedSql(
      { schema: 'public', table: 'album', columns: ['album_id'], where: ['"public"."album"."album_id" = $1'] },
      { schema: 'public', table: 'track', columns: ['track_id'], where: [], on: [['album_id', 'album_id']] },
    );
    expect(embed).toContain(
      'LEFT JOIN LATERAL (SELECT json_agg("album_track_1")::json AS "album_track_1" FROM (SELECT "track_1"."track_id" FROM "public"."track" AS "track_1" WHERE "track_1"."album_id" = "public"."album"."album_id")',
    );
    expect(embed).toMatch(/WHERE "public"\."album"\."album_id" = \$1\)/);
  });
});

describe('pg_stat_statements parameters', () => {
  const snapshot = {
    tables: [{ schema: 'public', name: 'track', columns: [{ name: 'album_id' }, { name: 'name' }] }],
  } as unknown as Snapshot;
  it('binds a compared column to its most frequent value, limit and offset to constants, and leaves out what it cannot bind', () => {
    const w = statementWorkload(
      [
        { query: 'select t.name from track t where t.album_id = $1 limit $2 offset $3', calls: 3, totalMs: 1 },
        { query: 'select name from track where lower(name) like $1', calls: 1, totalMs: 1 },
      ],
      snapshot,
    );
    expect(w.queries.map((q) => q.params)).toEqual([
      [{ column: 'public.track.album_id', pick: 'most_rows' }, { constant: '20' }, { constant: '0' }],
    ]);
    expect(w.skipped.map((s) => s.reason)).toEqual(['no column found for $1']);
  });
});

describe('redaction', () => {
  it('replaces sampled values in plans and messages, leaving other numbers alone', () => {
    const uuid = '6f1c2d4e-1111-4222-8333-944455556666';
    expect(redactText(`Index Cond: (owner_id = '${uuid}'::uuid)`, [uuid])).toBe(
      "Index Cond: (owner_id = '<sampled>'::uuid)",
    );
    expect(redactText('Index Cond: (album_id = 42) rows=420', ['42'])).toBe(
      'Index Cond: (album_id = <sampled>) rows=420',
    );
    expect(redactDeep({ a: [`x ${uuid}`] }, [uuid])).toEqual({ a: ['x <sampled>'] });
  });
});
