import { qualified } from '../../introspect/snapshot';
import { elementType, isBoolean, isTimestamp } from '../column-types';
import type { Confidence, Pattern, PatternKind } from '../types';
import { eachColumn, type PatternContext } from './context';

type Rule = {
  kind: PatternKind;
  test: (name: string, type: string, ok: { timestamp: boolean; bool: boolean }) => Confidence | null;
  why: string;
};

/** Single-column conventions: each rule names a column shape and how sure the name makes us. */
const RULES: Rule[] = [
  {
    kind: 'soft-delete',
    why: 'rows are hidden rather than deleted',
    test: (name, _t, ok) =>
      (name === 'deleted_at' && ok.timestamp) || (name === 'is_deleted' && ok.bool)
        ? 'high'
        : name === 'deleted' && ok.bool
          ? 'medium'
          : name === 'deleted_at'
            ? 'low'
            : null,
  },
  {
    kind: 'publish-flag',
    why: 'rows are visible to everyone once flagged',
    test: (name, _t, ok) =>
      ['is_published', 'published', 'is_public'].includes(name) && ok.bool
        ? 'high'
        : name === 'visibility'
          ? 'medium'
          : null,
  },
  {
    kind: 'json-not-jsonb',
    why: 'json keeps the text as written; jsonb is indexable and what Supabase APIs expect',
    test: (_n, type) => (type === 'json' ? 'high' : null),
  },
];

export function detectColumnFlags(ctx: PatternContext): Pattern[] {
  return eachColumn(ctx.snapshot).flatMap(({ table, column }) => {
    const type = column.isArray ? `${elementType(column)}[]` : elementType(column);
    const ok = { timestamp: isTimestamp(column), bool: isBoolean(column) };
    return RULES.flatMap((rule): Pattern[] => {
      const confidence = rule.test(column.name, type, ok);
      if (confidence === null) return [];
      const evidence = `${column.name} ${column.type}: ${rule.why}`;
      return [{ kind: rule.kind, table: qualified(table), columns: [column.name], confidence, evidence }];
    });
  });
}
