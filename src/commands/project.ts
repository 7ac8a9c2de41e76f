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
    throw new UserError(
      `${rel} does not exist: the source has not been introspected yet`,
      'run `supamigrate introspect` (or `supamigrate init --source <url>`)',
    );
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

/** A command that connects found no URL for one side; the CLI names the command in front. */
export class ConnectionNeeded extends UserError {
  constructor(
    readonly side: 'source' | 'target',
    message: string,
    fix: string,
  ) {
    super(message, fix);
    this.name = 'ConnectionNeeded';
  }

  /** The message with the command that needs the connection in front of it. */
  forCommand(command: string): UserError {
    return new UserError(`\`${command}\` connects to the ${this.side} database: ${this.message}`, this.fix);
  }
}

const SEED: Record<'source' | 'target', string> = { source: 'SOURCE_DATABASE_URL', target: 'SUPABASE_DB_URL' };

/**
 * The URL a command connects to: the flag wins over the spec; one of them must say it. A spec
 * whose URL names an unset variable is found out here, by the command that needs it.
 */
export function requireUrl(
  flag: string | undefined,
  spec: Pick<Spec, 'source' | 'target' | 'unresolved'>,
  what: 'source' | 'target',
): string {
  const url = flag ?? spec[what].url;
  if (url) return url;
  const gap = spec.unresolved?.[`${what}.url`];
  if (gap) {
    const names = gap.variables.map((v) => `\${${v}}`).join(', ');
    const exports = gap.variables.map((v) => `export ${v}=<url>`).join(' and ');
    throw new ConnectionNeeded(
      what,
      `${gap.at} ${what}.url reads ${names}, which is not set`,
      `${exports}, or pass --${what} <url>`,
    );
  }
  const fix = `pass --${what} <url>, set ${what}.url in migration.yaml, or export ${SEED[what]}`;
  throw new ConnectionNeeded(what, `no ${what} database given`, fix);
}
