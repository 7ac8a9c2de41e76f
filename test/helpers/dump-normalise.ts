import { withDb } from '../../src/db';

/**
 * Two normalisations of the real-schema round trip that keep meaning, kept apart from the
 * comparison itself (schema-dump.ts) so each is easy to check.
 */

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A schema the spec renames (a source schema named like one Supabase reserves) is compared under
 * its source name: in the target's dump, every `<target>` schema name that stands as a schema
 * (`<target>.x`, `CREATE SCHEMA <target>;`, quoted or not) is read as `<source>`.
 */
export function underSourceNames(dump: string, renames: Record<string, string>): string {
  let out = dump;
  for (const [source, target] of Object.entries(renames)) {
    const plain = new RegExp(`(^|[^\\w$".])${escape(target)}(?=\\.|;|\\s)`, 'gm');
    const quoted = new RegExp(`"${escape(target.replace(/"/g, '""'))}"(?=\\.|;|\\s)`, 'g');
    out = out.replace(plain, `$1${source}`).replace(quoted, `"${source.replace(/"/g, '""')}"`);
  }
  return out;
}

/**
 * The source's views, re-created from the text the plan re-creates them from (introspection's
 * `pg_get_viewdef(oid, true)`, the pretty print). The pretty print leaves out parentheses that do
 * not change meaning, so the text does not always parse back into the same tree: a nested
 * `x AND ((a >= 1) AND (a <= 3))` (apflora: a `BETWEEN` inside an `AND`) is printed
 * `x AND a >= 1 AND a <= 3` and parses back as one flat `AND`. Same meaning (AND is
 * associative), other dump. Re-creating the source's views the same way makes the dumps compare
 * what the plan did, not that printing round trip. Materialized views keep their text.
 */
export async function reprintViews(url: string, schemas: string[]): Promise<number> {
  return withDb(url, async (db) => {
    await db.exec('begin');
    try {
      await db.exec(`set local search_path = ''`);
      const views = await db.query<{ name: string; def: string; options: string | null }>(
        `select format('%I.%I', n.nspname, c.relname) as name, pg_get_viewdef(c.oid, true) as def,
                array_to_string(c.reloptions, ', ') as options
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind = 'v' and n.nspname = any($1::text[]) order by c.oid`,
        [schemas],
      );
      for (const v of views.rows) {
        const options = v.options ? ` with (${v.options})` : '';
        await db.exec(`create or replace view ${v.name}${options} as ${v.def.replace(/;\s*$/, '')}`);
      }
      await db.exec('commit');
      return views.rows.length;
    } catch (e) {
      await db.exec('rollback');
      throw e;
    }
  });
}
