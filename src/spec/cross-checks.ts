import { isAbsolute } from 'path';
import { UserError } from '../errors';
import { parseDbUrl } from '../db/url';
import { hidePassword } from './describe-value';
import { pathKey } from './interpolate';
import type { KeyPath, SpecProblem } from '../yaml/problem';
import type { ValueOrigins } from './schema-check';
import { securityProblems } from './security';
import { storageProblems } from './storage';
import { functionsProblems } from './functions';
import { pathProblems } from './paths';
import { vectorProblems } from './vectors';
import { onlineProblems } from './online';

type Plain = Record<string, unknown>;

/** Schemas Supabase owns: migrating into them would fight the platform. */
const SUPABASE_SCHEMAS = [
  'auth',
  'extensions',
  'graphql',
  'graphql_public',
  'pgsodium',
  'realtime',
  'storage',
  'supabase_functions',
  'supabase_migrations',
  'vault',
];
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]*\.[A-Za-z_][A-Za-z0-9_$]*$/;

const section = (raw: unknown, key: string): Plain => {
  const value = (raw as Plain)?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Plain) : {};
};
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** Checks that relate several keys; run after the schema, on whatever parts have the right shape. */
export function crossCheck(raw: unknown, origins: ValueOrigins): SpecProblem[] {
  return [
    ...schemaListConflicts(section(raw, 'schema')),
    ...renameConflicts(section(raw, 'schema')),
    ...dataTableKeys(section(raw, 'data')),
    ...urlProblems(raw, origins),
    ...outputDirs(section(raw, 'output')),
    ...securityProblems(section(raw, 'security')),
    ...storageProblems(section(raw, 'storage')),
    ...functionsProblems(section(raw, 'functions')),
    ...vectorProblems(section(raw, 'vectors')),
    ...onlineProblems(section(raw, 'online')),
    ...pathProblems(raw),
  ];
}

function overlap(included: string[], excluded: string[], listKey: string, what: string): SpecProblem[] {
  return excluded.flatMap((name, index) =>
    included.includes(name)
      ? [
          {
            path: ['schema', listKey, index],
            message: `${what} "${name}" is both included and excluded`,
            fix: `remove "${name}" from schema.${listKey} or from schema.${listKey.replace('exclude', 'include')}`,
          },
        ]
      : [],
  );
}

function schemaListConflicts(schema: Plain): SpecProblem[] {
  return [
    ...overlap(strings(schema.include_schemas), strings(schema.exclude_schemas), 'exclude_schemas', 'schema'),
    ...overlap(strings(schema.include_tables), strings(schema.exclude_tables), 'exclude_tables', 'table pattern'),
  ];
}

function renameConflicts(schema: Plain): SpecProblem[] {
  const renames = section(schema, 'rename_schemas');
  const included = strings(schema.include_schemas);
  const firstSourceOf = new Map<string, string>();
  const problems: SpecProblem[] = [];
  for (const [from, to] of Object.entries(renames).sort(([a], [b]) => a.localeCompare(b))) {
    if (typeof to !== 'string') continue;
    const path: KeyPath = ['schema', 'rename_schemas', from];
    const earlier = firstSourceOf.get(to);
    if (earlier !== undefined)
      problems.push({
        path,
        message: `"${from}" and "${earlier}" are both renamed to "${to}"`,
        fix: 'give each renamed schema its own target name',
      });
    else firstSourceOf.set(to, from);
    if (to !== from && included.includes(to) && !(to in renames)) {
      problems.push({
        path,
        message: `target "${to}" is also an included schema that keeps its name`,
        fix: `rename "${from}" to another name, or rename "${to}" as well`,
      });
    }
    if (SUPABASE_SCHEMAS.includes(to))
      problems.push({
        path,
        message: `target "${to}" is a schema Supabase manages`,
        fix: `choose another name; ${SUPABASE_SCHEMAS.join(', ')} belong to Supabase`,
      });
  }
  return problems;
}

function dataTableKeys(data: Plain): SpecProblem[] {
  return Object.keys(section(data, 'tables'))
    .filter((key) => !TABLE_NAME.test(key))
    .map((key) => ({
      path: ['data', 'tables', key],
      onKey: true,
      message: `"${key}" is not a schema.table name`,
      fix: 'name the table with its schema, e.g. public.users (no wildcards here)',
    }));
}

function outputDirs(output: Plain): SpecProblem[] {
  return (['supabase_dir', 'state_dir'] as const)
    .filter((key) => typeof output[key] === 'string' && isAbsolute(output[key] as string))
    .map((key) => ({
      path: ['output', key],
      message: 'must be relative to the spec file',
      fix: 'write a folder relative to migration.yaml, so plans are the same on every machine',
    }));
}

function urlProblems(raw: unknown, origins: ValueOrigins): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const source = section(raw, 'source').url;
  const target = section(raw, 'target').url;
  for (const [key, value] of [
    ['source', source],
    ['target', target],
  ] as const) {
    if (typeof value !== 'string' || value === '') continue;
    const problem = dbUrlProblem(value);
    if (problem) problems.push(withOrigin({ path: [key, 'url'], ...problem }, origins));
  }
  if (
    typeof source === 'string' &&
    source !== '' &&
    source.trim() === (typeof target === 'string' ? target.trim() : undefined)
  ) {
    problems.push({
      path: ['target', 'url'],
      message: 'is the same database as source.url',
      fix: 'point target.url at the Supabase database, not the source',
    });
  }
  const api = section(raw, 'target').supabase_url;
  if (typeof api === 'string' && api !== '' && !/^https?:$/.test(safeProtocol(api))) {
    problems.push(
      withOrigin(
        {
          path: ['target', 'supabase_url'],
          message: `${JSON.stringify(hidePassword(api))} is not an http(s) URL`,
          fix: 'write the project URL, e.g. https://<project-ref>.supabase.co or http://127.0.0.1:54321',
        },
        origins,
      ),
    );
  }
  return problems;
}

function dbUrlProblem(value: string): { message: string; fix: string } | undefined {
  const shown = JSON.stringify(hidePassword(value));
  try {
    const parsed = parseDbUrl(value);
    if (parsed.kind === 'pg' && new URL(parsed.url).port === '0') throw new UserError('port 0');
    return undefined;
  } catch (err) {
    const fix = err instanceof UserError && err.fix ? err.fix : 'write postgresql://user:password@host:5432/database';
    const why = /^postgres(ql)?:\/\//.test(value.trim())
      ? 'is not a valid URL (check the host, port 1-65535 and characters that need %-encoding)'
      : 'is not a database URL';
    return { message: `${shown} ${why}`, fix };
  }
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

function withOrigin(problem: SpecProblem, origins: ValueOrigins): SpecProblem {
  const seeded = origins.seeded.get(pathKey(problem.path));
  if (seeded)
    return {
      ...problem,
      message: `environment variable ${seeded}: ${problem.message}`,
      fix: `${problem.fix} (export ${seeded}=...)`,
    };
  const variables = origins.interpolated.get(pathKey(problem.path));
  return variables ? { ...problem, message: `${problem.message} (from \${${variables.join('}, ${')}})` } : problem;
}
