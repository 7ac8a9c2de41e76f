import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors';
import { snapshotFromJson } from '../introspect';
import type { Snapshot } from '../introspect/snapshot';
import type { GeneratedFile } from '../plan/types';
import { type Layout, snapshotFile } from '../render';
import type { Spec } from '../spec/types';

/** Where this project's generated and state files go, from the spec. */
export function layoutOf(spec: Spec): Layout {
  return { supabaseDir: spec.output.supabaseDir, stateDir: spec.output.stateDir, name: spec.name };
}

export function readSnapshot(spec: Spec): Snapshot {
  const rel = snapshotFile(layoutOf(spec));
  const path = join(spec.dir, rel);
  if (!existsSync(path)) {
    throw new UserError(`${rel} does not exist: the source has not been introspected yet`, 'run `supamigrate introspect` (or `supamigrate init --source <url>`)');
  }
  return snapshotFromJson(readFileSync(path, 'utf8'));
}

/** Writes files under dir, touching only those whose content changed. Returns the paths written. */
export function writeFiles(dir: string, files: GeneratedFile[]): string[] {
  const written: string[] = [];
  for (const f of files) {
    const path = join(dir, f.path);
    if (existsSync(path) && readFileSync(path, 'utf8') === f.content) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    written.push(f.path);
  }
  return written;
}

/** The URL a command connects to: the flag wins over the spec; one of them must say it. */
export function requireUrl(flag: string | undefined, fromSpec: string | null, what: 'source' | 'target'): string {
  const url = flag ?? fromSpec;
  if (!url) {
    const env = what === 'source' ? 'SOURCE_DATABASE_URL' : 'SUPABASE_DB_URL';
    throw new UserError(`no ${what} database given`, `pass --${what} <url>, set ${what}.url in migration.yaml, or export ${env}`);
  }
  return url;
}
