import { spawnSync } from 'node:child_process';
import { withDb } from '../../src/db';

/**
 * `pg_dump --schema-only` of some schemas, cut into one block per dumped object and normalised
 * so that a source and a migrated Supabase target compare equal when, and only when, they
 * differ in what a migration onto Supabase changes on purpose:
 * owners, grants and default privileges (left out by pg_dump itself), ENABLE ROW LEVEL SECURITY,
 * a pinned `SET search_path` on functions, indexes added to support policies, the
 * `security_invoker` view option, `extensions.` in place of `public.` where an extension moved,
 * and objects the caller names as skipped on purpose. Policies are left out of the dump: they
 * are compared per table with `policiesOf` and `policiesOfSourceTables`, as a table without policies on the source
 * may get the ones the spec's security patterns ask for.
 */

/** Schemas Postgres or Supabase own, and those the scaffold of Supabase migration sets stands in for. */
const NOT_COMPARED = new Set(['auth', 'storage', 'extensions', 'realtime', 'graphql', 'graphql_public', 'vault', 'pgsodium', 'supabase_migrations', 'supabase_functions', 'supamigrate']);

export interface DumpOptions {
  /** Index names the target holds on purpose (policy-support indexes of the security plan). */
  addedIndexes?: string[];
  /** Foreign keys to auth.users the security plan adds on purpose (seeded users), by name. */
  addedKeys?: string[];
  /** Objects skipped on purpose: a block whose statement matches one of these is left out. */
  skipped?: RegExp[];
}

/** The application schemas of a database: every schema that is neither Postgres's nor Supabase's. */
export async function applicationSchemas(url: string): Promise<string[]> {
  const r = await withDb(url, (db) =>
    db.query<{ nspname: string }>(`select nspname from pg_namespace
      where nspname not like 'pg\\_%' and nspname <> 'information_schema' order by 1`),
  );
  return r.rows.map((x) => x.nspname).filter((s) => !NOT_COMPARED.has(s));
}

/** The raw `pg_dump --schema-only` text of the schemas, without owners and privileges. */
export function dumpSchemas(url: string, schemas: string[]): string {
  const args = ['--schema-only', '--no-owner', '--no-privileges', '--no-tablespaces', '--dbname', url];
  for (const s of schemas) args.push('--schema', `"${s.replace(/"/g, '""')}"`);
  const r = spawnSync('pg_dump', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr}`);
  return r.stdout;
}

/** One block per object pg_dump wrote (its `-- Name: ...` header decides the cut), header dropped. */
export function dumpBlocks(dump: string): string[] {
  const parts = dump.split(/\n--\n-- (?:Name|Data for Name): [^\n]*\n--\n/);
  // The first part is the preamble (SET statements); the last ends with "dump complete".
  parts.shift();
  return parts.map((p) => p.replace(/\n--\n-- PostgreSQL database dump complete\n--[\s\S]*$/, ''));
}

const leftOut: RegExp[] = [
  /^ALTER TABLE (?:ONLY )?\S+ ENABLE ROW LEVEL SECURITY;$/,
  /^SET default_table_access_method = heap;$/,
  /^\\(?:un)?restrict .*$/,
];

function withoutSecurityInvoker(stmt: string): string {
  return stmt
    .replace(/WITH \(([^)]*)\)/g, (_m, list: string) => {
      const kept = list.split(/,\s*/).filter((o) => !/^security_invoker=/.test(o));
      return kept.length ? `WITH (${kept.join(', ')})` : '';
    })
    .replace(/ {2,}AS$/m, ' AS');
}

function normaliseBlock(block: string): string {
  const lines = block
    .split('\n')
    .filter((l) => !leftOut.some((re) => re.test(l)))
    .filter((l) => !/^ALTER [A-Z ]+ .* OWNER TO .*;$/.test(l))
    // a pinned search_path that the plan sets on every function
    .filter((l) => !/^\s+SET search_path TO .*$/.test(l));
  const text = lines.join('\n').replace(/\bextensions\./g, 'public.').trim();
  return withoutSecurityInvoker(text).replace(/\n{2,}/g, '\n');
}

/** The normalised, sorted blocks of a dump; empty blocks left out. */
export function normaliseDump(dump: string, opts: DumpOptions = {}): string[] {
  const added = new Set(opts.addedIndexes ?? []);
  return dumpBlocks(dump)
    .map(normaliseBlock)
    .filter((b) => b !== '' && !b.startsWith('CREATE POLICY '))
    .filter((b) => !(opts.skipped ?? []).some((re) => re.test(b)))
    .filter((b) => {
      const m = /^CREATE INDEX (\S+) ON /.exec(b);
      return !(m && added.has(m[1].replace(/^"|"$/g, '')));
    })
    .filter((b) => {
      const m = /^ALTER TABLE (?:ONLY )?\S+\s+ADD CONSTRAINT (\S+) FOREIGN KEY \([^)]*\) REFERENCES auth\.users\(id\)/.exec(b);
      return !(m && (opts.addedKeys ?? []).includes(m[1].replace(/^"|"$/g, '')));
    })
    .sort();
}

export interface DumpDifference {
  onlySource: string[];
  onlyTarget: string[];
}

/** Blocks present on one side only (as multisets). */
export function compareDumps(source: string[], target: string[]): DumpDifference {
  const count = new Map<string, number>();
  for (const b of target) count.set(b, (count.get(b) ?? 0) + 1);
  const onlySource: string[] = [];
  for (const b of source) {
    const n = count.get(b) ?? 0;
    if (n > 0) count.set(b, n - 1);
    else onlySource.push(b);
  }
  const onlyTarget = [...count].flatMap(([b, n]) => Array<string>(n).fill(b));
  return { onlySource, onlyTarget: onlyTarget.sort() };
}

export interface PolicyRow {
  table: string;
  name: string;
  command: string;
  roles: string;
  using: string | null;
  check: string | null;
}

/** Every policy of the schemas, per table, as Postgres prints it. */
export async function policiesOf(url: string, schemas: string[]): Promise<PolicyRow[]> {
  const r = await withDb(url, (db) =>
    db.query<PolicyRow>(
      `select schemaname || '.' || tablename as "table", policyname as name, cmd as command,
              array_to_string(roles, ',') as roles, qual as using, with_check as "check"
         from pg_policies where schemaname = any($1::text[]) order by 1, 2`,
      [schemas],
    ),
  );
  return r.rows;
}

/** The target's policies of every table that has policies on the source, to compare with the source's. */
export function policiesOfSourceTables(source: PolicyRow[], target: PolicyRow[]): PolicyRow[] {
  const tables = new Set(source.map((p) => p.table));
  return target.filter((p) => tables.has(p.table));
}
