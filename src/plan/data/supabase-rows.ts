import type { Snapshot } from '../../introspect/snapshot';
import type { SchemaMapping } from '../../spec/types';
import { carriedSupabaseTables, rel, stagingName, stagingType } from '../schema/supabase-rows';
import type { TableCopy } from './types';

/** The data phase copies the source's rows into the staging table, as for any table. */
export function supabaseRowCopies(snapshot: Snapshot, mapping: Pick<SchemaMapping, 'renameSchemas'>): TableCopy[] {
  return carriedSupabaseTables(snapshot, mapping).map((t) => ({
    id: `data:${rel(t)}`,
    source: { schema: t.schema, table: t.name },
    target: { schema: 'supamigrate', table: stagingName(t) },
    columns: t.columns.map((c) => ({
      source: c.name,
      target: c.name,
      cast: stagingType(c.type) === 'text' && c.type !== 'text' ? 'text' : null,
    })),
    key: t.key.length > 0 ? t.key : null,
    chunking: t.key.length > 0 ? 'keyset' : 'whole',
    where: null,
    mode: 'auto',
    overridingSystemValue: false,
    estimatedRows: 0,
    order: -1,
  }));
}
