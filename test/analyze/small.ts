import type { Snapshot } from '../../src/introspect/snapshot';
import { column, fk, id, snapshot, table } from './builder';

/** The smallest snapshot that exercises every report section. */
export function small(): Snapshot {
  return snapshot({
    tables: [
      table('public.users', [id(), column('email', 'text'), column('avatar_url', 'text')], { estimatedRows: 1200, sizeBytes: 262144 }),
      table('public.notes', [id(), column('user_id', 'int8'), column('body', 'json'), column('created_at', 'timestamptz'), column('updated_at', 'timestamptz')], {
        fks: [fk('notes_user_id_fkey', 'user_id', 'public.users')], estimatedRows: 5000, sizeBytes: 1048576,
      }),
      table('public.audit_log', [column('line', 'text')], { estimatedRows: -1 }),
    ],
  });
}
