import type { Extension } from '../../introspect/snapshot';
import { ident, literal } from '../../sql';
import type { Step } from '../types';
import type { Relocation } from './relocation';
import { step } from './step';

/** Extensions that come with the language or the server itself and are never created. */
const BUILT_IN = new Set(['plpgsql']);
const MARK = 'created by supamigrate';

/**
 * Supabase installs extensions in the `extensions` schema, and some (pgcrypto, uuid-ossp) are
 * there before any migration. The step creates an extension only when it is absent and marks
 * it, so that rolling back drops what the plan created and never what the project had.
 */
export function extensionSteps(extensions: Extension[], relocation?: Relocation): Step[] {
  return extensions
    .filter((e) => !BUILT_IN.has(e.name))
    .map((e) => {
      const name = literal(e.name);
      const schema = relocation?.schemaOf.get(e.name) ?? 'extensions';
      const kept = relocation?.kept.find((k) => k.extension === e.name);
      const up = [
        ...(kept ? [`-- stays in ${kept.schema}: ${kept.reason.replace(/\s+/g, ' ')}`] : []),
        'do $$',
        'begin',
        `  if not exists (select 1 from pg_catalog.pg_extension where extname = ${name}) then`,
        `    create extension ${ident(e.name)} with schema ${schema === 'extensions' ? schema : ident(schema)};`,
        `    comment on extension ${ident(e.name)} is ${literal(MARK)};`,
        '  end if;',
        'end',
        '$$;',
      ].join('\n');
      const down = [
        'do $$',
        'begin',
        `  if (select pg_catalog.obj_description(oid, 'pg_extension') from pg_catalog.pg_extension where extname = ${name}) = ${literal(MARK)} then`,
        `    drop extension ${ident(e.name)};`,
        '  end if;',
        'end',
        '$$;',
      ].join('\n');
      return step(`extension:${e.name}`, 'pre-data', 'extension', up, down);
    });
}
