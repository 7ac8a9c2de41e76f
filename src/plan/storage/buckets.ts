import { literal } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';
import type { StorageManifest } from './types';

const textArray = (values: string[] | null): string =>
  values ? `array[${values.map(literal).join(', ')}]::text[]` : 'null';

/**
 * The bucket row, as Supabase's own migrations create buckets. A bucket that already exists takes
 * the spec's settings. Supabase refuses DELETEs on storage tables unless the statement says it
 * means it (storage.allow_delete_query), and the down removes the bucket only once it is empty.
 */
export function bucketStep(m: StorageManifest): Step {
  const id = literal(m.bucket);
  const sql = [
    'insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)',
    `values (${id}, ${id}, ${m.public}, ${m.fileSizeLimit ?? 'null'}, ${textArray(m.allowedMimeTypes)})`,
    'on conflict (id) do update set public = excluded.public, file_size_limit = excluded.file_size_limit,',
    '  allowed_mime_types = excluded.allowed_mime_types;',
  ].join('\n');
  const down = [
    "select set_config('storage.allow_delete_query', 'true', true);",
    `delete from storage.buckets where id = ${id} and not exists (select 1 from storage.objects where bucket_id = ${id});`,
  ].join('\n');
  return step(`storage:bucket:${m.bucket}`, 'security', 'bucket', sql, down);
}
