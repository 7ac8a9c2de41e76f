import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { unsupportedObjects, type UnsupportedObject } from '../analyze/unsupported';
import type { Snapshot } from '../introspect/snapshot';
import { UserError } from '../errors';
import type { Spec } from '../spec/types';

/**
 * The objects Supabase cannot hold, each of which the spec must skip on purpose: `plan` refuses
 * (exit 2) a spec whose `schema.skip_objects` lacks one, naming every missing object and why.
 * Returns what is skipped, for the plan's summary.
 */
export function checkSkippedObjects(spec: Spec, snapshot: Snapshot): UnsupportedObject[] {
  const unsupported = unsupportedObjects(snapshot);
  const listed = new Set(spec.schema.skipObjects ?? []);
  const missing = unsupported.filter((u) => !listed.has(u.object));
  if (missing.length === 0) return unsupported;
  const lines = missing.map((u) => `  ${u.object}: ${u.reason}`);
  throw new UserError(
    `${where(spec)} schema.skip_objects: ${missing.length} source object${missing.length === 1 ? '' : 's'} that Supabase cannot hold ` +
      `${missing.length === 1 ? 'is' : 'are'} not skipped on purpose:\n${lines.join('\n')}`,
    `add each to schema.skip_objects (as \`supamigrate init\` writes them, with the reason as a comment), or change the source so it can move`,
  );
}

/** `migration.yaml:line:col` of `skip_objects` under `schema:`, else of `schema:`, else the file. */
function where(spec: Spec): string {
  const label = basename(spec.file);
  if (!existsSync(spec.file)) return label;
  const lines = readFileSync(spec.file, 'utf8').split('\n');
  const schema = lines.findIndex((l) => /^schema:/.test(l));
  if (schema < 0) return `${label}:1:1`;
  const end = lines.findIndex((l, i) => i > schema && /^\S/.test(l));
  const skip = lines.slice(schema, end < 0 ? undefined : end).findIndex((l) => /^\s+skip_objects:/.test(l));
  if (skip < 0) return `${label}:${schema + 1}:1`;
  const line = lines[schema + skip];
  return `${label}:${schema + skip + 1}:${line.length - line.trimStart().length + 1}`;
}
