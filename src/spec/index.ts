import { readFileSync } from 'fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'path';
import { UserError } from '../errors';
import { crossCheck } from './cross-checks';
import { locate, readYaml, type SpecDocument } from '../yaml/document';
import { applyEnvSeeds } from './env-seeds';
import { type ConnectionMode, interpolateDocument, pathKey } from './interpolate';
import {
  formatPath,
  SpecError,
  sortProblems,
  type KeyPath,
  type PlacedProblem,
  type SpecProblem,
} from '../yaml/problem';
import { checkAgainstSchema } from './schema-check';
import { toFunctionsSpec } from './functions';
import { deepFreeze, toSpec, type Raw } from './to-spec';
import type { Spec } from './types';

export type { Spec, SchemaMapping, DataSpec, TableDataOptions } from './types';
export { SpecError, type PlacedProblem } from '../yaml/problem';
export { SPEC_SCHEMA_PATH, SPEC_SCHEMA_FILE } from './schema-check';
export { ENV_SEEDS, RETIRED_SWITCHES } from './env-seeds';
export { CONNECTION_FIELDS, type ConnectionMode } from './interpolate';

export interface LoadOptions {
  /** How fields holding connection settings read the environment (default resolve: all must be set). */
  connections?: ConnectionMode;
}

/** Reads, interpolates, validates and freezes a migration.yaml; every problem is reported at once. */
export function loadSpec(file: string, env: NodeJS.ProcessEnv = process.env, opts: LoadOptions = {}): Spec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (err as Error).message})`;
    throw new UserError(
      `${fileLabel(file)} ${why}`,
      'pass the path of migration.yaml, or create one with `supamigrate init`',
    );
  }
  return parseSpec(text, file, env, opts);
}

/** Same as loadSpec for text already in memory; `file` names it in errors and anchors relative paths. */
export function parseSpec(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  opts: LoadOptions = {},
): Spec {
  const mode = opts.connections ?? 'resolve';
  const label = fileLabel(file);
  const parsed = readYaml(text);
  if ('problems' in parsed)
    throw new SpecError(
      label,
      parsed.problems.map((p) => place(null, p)),
    );
  const source = parsed.document;
  if (source.doc.contents === null) {
    throw new SpecError(label, [
      {
        line: 1,
        col: 1,
        path: '',
        message: 'the file is empty',
        fix: 'write at least "version: 1" and "name: <project>", or run `supamigrate init`',
      },
    ]);
  }
  const interpolation = interpolateDocument(source, env, mode);
  const raw = dropEmptySections(toPlainData(source, label));
  for (const { path } of interpolation.deferred) leaveOut(raw, path);
  // An offline load reads no variable at all, so the seeds are not consulted either.
  const seeded = mode === 'offline' ? new Map<string, string>() : applyEnvSeeds(raw, env);
  const origins = { interpolated: interpolation.origins, seeded };
  // A value whose ${...} could not be resolved has already been reported; checking its raw text would only add noise.
  const failed = new Set(interpolation.problems.map((p) => pathKey(p.path)));
  const checks = [...checkAgainstSchema(raw, origins), ...crossCheck(raw, origins)].filter(
    (p) => !failed.has(pathKey(p.path)),
  );
  const problems = [...interpolation.problems, ...checks];
  if (problems.length) throw new SpecError(label, dedupe(problems.map((p) => place(source, p))));
  const absolute = resolve(file);
  const spec = toSpec(raw as Raw, absolute, dirname(absolute));
  // Locations end up in generated files, so they name the spec by its file name, not its path from here.
  const at = (path: KeyPath) => {
    const p = locate(source, path);
    return `${basename(file)}:${p.line}:${p.col}`;
  };
  const unresolved = Object.fromEntries(
    interpolation.deferred.map((d) => [formatPath(d.path), { variables: d.variables, at: at(d.path) }]),
  );
  const functions = toFunctionsSpec((raw as Raw).functions, spec.dir, at);
  return deepFreeze({ ...spec, functions, ...(interpolation.deferred.length ? { unresolved } : {}) });
}

/** Removes a connection field whose value is not known in this load, as if the file left it out. */
function leaveOut(raw: unknown, path: KeyPath): void {
  const [section, key] = path as [string, string];
  const holder = (raw as Record<string, unknown> | null)?.[section];
  if (typeof holder === 'object' && holder !== null) delete (holder as Record<string, unknown>)[key];
}

/** Resolves aliases too; a file that expands them without bound is refused, not followed. */
function toPlainData(source: SpecDocument, label: string): unknown {
  try {
    return source.doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const message = `YAML: aliases expand too far (${(err as Error).message.toLowerCase()})`;
    throw new SpecError(label, [
      {
        line: 1,
        col: 1,
        path: '',
        message,
        fix: 'write the values out instead of nesting aliases (*name) inside aliased lists',
      },
    ]);
  }
}

/** `options:` with every key commented out parses as null; treat it like an absent section. */
function dropEmptySections(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const sections = raw as Record<string, unknown>;
  for (const key of Object.keys(sections))
    if (sections[key] === null && key !== 'name' && key !== 'version') delete sections[key];
  return raw;
}

function place(source: SpecDocument | null, problem: SpecProblem): PlacedProblem {
  const at = problem.at ?? (source ? locate(source, problem.path, problem.onKey) : { line: 1, col: 1 });
  return { line: at.line, col: at.col, path: formatPath(problem.path), message: problem.message, fix: problem.fix };
}

function dedupe(problems: PlacedProblem[]): PlacedProblem[] {
  const seen = new Set<string>();
  return sortProblems(problems).filter((p) => {
    const key = `${p.line}:${p.col}:${p.path}:${p.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

/** The file as a person would type it from here: relative to the working directory, else its name. */
function fileLabel(file: string): string {
  const fromHere = relative(process.cwd(), resolve(file));
  return fromHere && !fromHere.startsWith('..') && !isAbsolute(fromHere) ? fromHere : basename(file);
}
