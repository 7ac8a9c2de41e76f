import type { Db } from '../db';

/** Tables in the source's `supabase_realtime` publication (a Supabase-native source), sorted. */
export async function readRealtimeTables(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ t: string }>(`
    select schemaname::text || '.' || tablename::text as t from pg_catalog.pg_publication_tables
    where pubname = 'supabase_realtime' order by schemaname collate "C", tablename collate "C"`);
  return rows.map((r) => r.t);
}
