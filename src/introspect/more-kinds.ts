import type { Snapshot } from './snapshot';
import type { CatalogScope } from './catalog';
import { readCasts, readOperators } from './casts-operators';
import {
  readCatalogOnly,
  readEventTriggers,
  readForeignServers,
  readForeignTables,
  readPublications,
} from './foreign-publications';
import { readRules, readStatistics } from './statistics-rules';

type MoreKinds = Pick<
  Snapshot,
  | 'statistics'
  | 'rules'
  | 'casts'
  | 'operators'
  | 'foreignServers'
  | 'foreignTables'
  | 'publications'
  | 'eventTriggers'
  | 'catalogOnly'
>;

/** The kinds of snapshot-kinds.ts, each present only when the source has some, so older snapshots stay byte-equal. */
export async function readMoreKinds(scope: CatalogScope): Promise<MoreKinds> {
  const read: { [K in keyof MoreKinds]-?: (s: CatalogScope) => Promise<NonNullable<MoreKinds[K]>> } = {
    statistics: readStatistics,
    rules: readRules,
    casts: readCasts,
    operators: readOperators,
    foreignServers: readForeignServers,
    foreignTables: readForeignTables,
    publications: readPublications,
    eventTriggers: readEventTriggers,
    catalogOnly: readCatalogOnly,
  };
  const out: Record<string, unknown[]> = {};
  // Queued together (see readSnapshot); the keys keep this order either way.
  const found = await Promise.all(Object.values(read).map((reader) => reader(scope)));
  Object.keys(read).forEach((key, i) => {
    if (found[i].length > 0) out[key] = found[i];
  });
  return out as MoreKinds;
}
