import type { Snapshot } from '../introspect/snapshot';
import { SUPABASE_TABLES } from '../plan/schema/select';

/**
 * A source that already speaks Supabase: its tables point at Supabase's own (auth.users,
 * storage.objects) or its code calls auth.uid(). Said at the top of the spec `init` writes.
 */
export function supabaseNativeLines(snapshot: Snapshot): string[] {
  const keys = snapshot.tables.flatMap((t) =>
    t.constraints.filter((c) => c.kind === 'f' && c.refTable !== null && SUPABASE_TABLES.has(c.refTable)),
  );
  const calls = [
    ...snapshot.functions.map((f) => f.definition),
    ...snapshot.policies.map((p) => `${p.using ?? ''} ${p.withCheck ?? ''}`),
  ].filter((d) => /\bauth\s*\.\s*(?:uid|jwt|role|email)\s*\(/.test(d)).length;
  if (keys.length === 0 && calls === 0) return [];
  const targets = [...new Set(keys.map((k) => k.refTable as string))].sort();
  const parts = [
    ...(keys.length > 0
      ? [
          `${keys.length} foreign key${keys.length === 1 ? '' : 's'} to ${targets.join(', ')} (kept: Supabase provides these tables)`,
        ]
      : []),
    ...(calls > 0
      ? [
          `${calls} function${calls === 1 ? '' : 's'} or polic${calls === 1 ? 'y' : 'ies'} calling auth.uid()/auth.jwt()`,
        ]
      : []),
  ];
  const rows = (snapshot.supabaseTables ?? []).map((t) => `${t.schema}.${t.name}`);
  const moved =
    rows.length > 0
      ? ` Rows of ${rows.join(', ')} move with their ids before apply adds the keys.`
      : " The users those keys name must be in the target's auth.users, with the same ids, before apply adds the keys.";
  return [`# Supabase-native source: ${parts.join('; ')}.${moved}`];
}
