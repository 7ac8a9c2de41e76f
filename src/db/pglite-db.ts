import { readFileSync } from 'node:fs';
import type { Extension, PGlite, Transaction } from '@electric-sql/pglite';
import type { Db, QueryResult } from './types';

/** The extensions Supabase offers that PGlite ships; each must be registered at creation. */
const CONTRIB = [
  'btree_gin',
  'btree_gist',
  'citext',
  'cube',
  'earthdistance',
  'fuzzystrmatch',
  'hstore',
  'intarray',
  'isn',
  'ltree',
  'moddatetime',
  'pg_stat_statements',
  'pg_trgm',
  'pgcrypto',
  'seg',
  'tablefunc',
  'tcn',
  'unaccent',
  'uuid_ossp',
];
/**
 * Supabase offers neither and the plan skips their objects, but a PGlite source may hold them:
 * a source's `create extension` (or a C function of lo) needs the extension registered.
 */
const SOURCE_ONLY = ['file_fdw', 'lo'];
interface Loaded {
  PGlite: typeof PGlite;
  extensions: Record<string, Extension>;
}
let loaded: Loaded | undefined;

/**
 * PGlite and its extensions, loaded on first use: loading them takes ~0.1 s, which every command
 * paid at start, and most commands run against servers only. The contrib entry points publish
 * ESM-only typings, so they are loaded through require too.
 */
function pglite(): Loaded {
  if (loaded) return loaded;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const engine = (require('@electric-sql/pglite') as { PGlite: typeof PGlite }).PGlite;
  const extensions: Record<string, Extension> = {
    vector: (require('@electric-sql/pglite-pgvector') as { vector: Extension }).vector,
  };
  for (const name of [...CONTRIB, ...SOURCE_ONLY]) {
    extensions[name] = (require(`@electric-sql/pglite/contrib/${name}`) as Record<string, Extension>)[name];
  }
  loaded = { PGlite: engine, extensions };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return loaded;
}

// Same choice as for servers: exact text for int8, numeric, dates and times.
const identity = (v: string) => v;
const PARSERS = {
  20: identity,
  1700: identity,
  1082: identity,
  1114: identity,
  1184: identity,
  1083: identity,
  1266: identity,
};

type Queryable = PGlite | Transaction;

class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  constructor(
    private readonly pg: Queryable,
    private readonly onClose?: () => Promise<void>,
  ) {}

  async query<R>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    const r = await this.pg.query<R>(sql, params, { parsers: PARSERS });
    return { rows: r.rows, affectedRows: r.affectedRows ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  async transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (!(this.pg instanceof pglite().PGlite)) throw new Error('nested transactions are not supported');
    return this.pg.transaction((tx) => fn(new PgliteDb(tx)));
  }

  async close(): Promise<void> {
    if (this.onClose) await this.onClose();
  }
}

const named = new Map<string, Promise<PGlite>>();
let template: Promise<PGlite> | null = null;

let image: Blob | null = null;

/**
 * Starting PGlite with its extensions is the slow part (seconds); cloning a started instance
 * is several times faster, so in-memory databases are clones of one template per process.
 * SUPAMIGRATE_PGLITE_IMAGE may name a file written by writePgliteImage: then databases start
 * from that image and no process runs initdb (the test runner shares one image between files).
 */
async function freshInMemory(): Promise<PGlite> {
  const imageFile = process.env.SUPAMIGRATE_PGLITE_IMAGE;
  if (imageFile) {
    image ??= new Blob([readFileSync(imageFile)]);
    return pglite().PGlite.create({ loadDataDir: image, extensions: pglite().extensions });
  }
  if (!template) template = pglite().PGlite.create({ extensions: pglite().extensions });
  return (await template).clone() as Promise<PGlite>;
}

/** Writes the data directory of a new in-memory database to `file`, for SUPAMIGRATE_PGLITE_IMAGE. */
export async function writePgliteImage(file: string): Promise<void> {
  const pg = await pglite().PGlite.create({ extensions: pglite().extensions });
  const dump = await pg.dumpDataDir('none');
  await pg.close();
  const { writeFile } = await import('node:fs/promises');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
}

/**
 * `memory` opens a fresh in-memory database; `memory/<name>` a named in-memory database that
 * lives as long as the process, so several commands in one process (the demo, tests) share it;
 * anything else is a data directory.
 */
export async function openPglite(location: string): Promise<Db> {
  if (location.startsWith('memory/')) {
    let instance = named.get(location);
    if (!instance) {
      instance = freshInMemory();
      named.set(location, instance);
    }
    return new PgliteDb(await instance, async () => undefined);
  }
  if (location === 'memory') {
    const pg = await freshInMemory();
    return new PgliteDb(pg, () => pg.close());
  }
  const pg = await pglite().PGlite.create(location, { extensions: pglite().extensions });
  return new PgliteDb(pg, () => pg.close());
}

/** Closes and forgets one named in-memory database (`memory/<name>`); a no-op when it is not open. */
export async function closeOneNamedPglite(location: string): Promise<void> {
  const instance = named.get(location);
  named.delete(location);
  if (instance) await (await instance).close();
}

/** Closes and forgets the named in-memory databases (tests, end of a CLI run). */
export async function closeNamedPglite(): Promise<void> {
  const all = [...named.values()];
  named.clear();
  for (const p of all) await (await p).close();
  if (template) {
    const t = template;
    template = null;
    await (await t).close();
  }
}
