import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { SpecDocument } from '../yaml/document';
import { formatPath, type KeyPath, type SpecProblem } from '../yaml/problem';

type Lookup = (name: string) => string | undefined;
type Issue = { message: string; fix: string; unset?: string };
type Substitution = { value: string; variables: string[] } | { problems: Issue[] };

/**
 * How a load treats the fields that hold connection settings and credentials:
 * - resolve: every ${VAR} in them must be set (library default);
 * - lazy: the set ones are filled, the unset ones are left out and recorded, so that only a
 *   command that connects through such a field fails, naming itself;
 * - offline: they are left out without reading the environment at all (plan, analyze).
 */
export type ConnectionMode = 'resolve' | 'lazy' | 'offline';

/** The only fields that may read environment variables: where to connect, and with which keys. */
export const CONNECTION_FIELDS: ReadonlyArray<KeyPath> = [
  ['source', 'url'],
  ['target', 'url'],
  ['target', 'supabase_url'],
  ['target', 'anon_key'],
  ['target', 'service_role_key'],
];

const isConnectionField = (path: KeyPath): boolean => CONNECTION_FIELDS.some((f) => pathKey(f) === pathKey(path));

const reference = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** Replaces ${VAR} and ${VAR:-default} through lookup; $${ stands for a literal ${. */
export function interpolate(text: string, from: Lookup | NodeJS.ProcessEnv): Substitution {
  const lookup: Lookup = typeof from === 'function' ? from : (name) => from[name];
  let value = '';
  const variables: string[] = [];
  const problems: Issue[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      value += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      value += text[i++];
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) {
      problems.push({
        message: `"${text.slice(i)}" opens \${ without a closing }`,
        fix: 'close the reference with }, or write $${ for a literal ${',
      });
      break;
    }
    const resolved = resolveReference(text.slice(i + 2, close), lookup);
    if ('problem' in resolved) problems.push(resolved.problem);
    else {
      value += resolved.value;
      variables.push(resolved.name);
    }
    i = close + 1;
  }
  return problems.length ? { problems } : { value, variables };
}

function resolveReference(inner: string, lookup: Lookup): { name: string; value: string } | { problem: Issue } {
  const match = reference.exec(inner);
  if (!match) {
    return {
      problem: {
        message: `"\${${inner}}" is not a valid variable reference`,
        fix:
          'write ${NAME} or ${NAME:-default} (NAME: letters, digits and _, not starting with a digit), or $${ for ' +
          'a literal ${',
      },
    };
  }
  const [, name, fallback] = match;
  const set = lookup(name);
  if (fallback !== undefined) return { name, value: set === undefined || set === '' ? fallback : set };
  if (set === undefined) {
    const fix = `export ${name}=... before running, or write \${${name}:-default} to give a default`;
    return { problem: { message: `environment variable ${name} is not set`, fix, unset: name } };
  }
  return { name, value: set };
}

export interface Interpolation {
  origins: Map<string, string[]>;
  problems: SpecProblem[];
  /** Connection fields left out (offline, or lazy with a variable unset), with the variables they name. */
  deferred: Array<{ path: KeyPath; variables: string[] }>;
}

/** Interpolates the string values of the document in place; only connection fields may name variables. */
export function interpolateDocument(
  source: SpecDocument,
  env: NodeJS.ProcessEnv,
  mode: ConnectionMode = 'resolve',
): Interpolation {
  const result: Interpolation = { origins: new Map(), problems: [], deferred: [] };
  const visit = (node: unknown, path: KeyPath): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key)) visit(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const value = isConnectionField(path)
        ? connectionValue(node.value, path, env, mode, result)
        : plainValue(node.value, path, result);
      if (value !== undefined) node.value = value;
    }
  };
  visit(source.doc.contents, []);
  return result;
}

/** Outside connection fields a reference is refused: the plan must not depend on the environment. */
function plainValue(text: string, path: KeyPath, result: Interpolation): string | undefined {
  const named: string[] = [];
  const substituted = interpolate(text, (name) => (named.push(name), ''));
  if ('problems' in substituted) {
    result.problems.push(...substituted.problems.map((p) => ({ message: p.message, fix: p.fix, path })));
    return undefined;
  }
  if (named.length === 0) return substituted.value;
  const fields = CONNECTION_FIELDS.map(formatPath).join(', ');
  result.problems.push({
    path,
    message: `\${${named[0]}} is not allowed here: only connection settings and credentials (${fields}) read environment variables, so that the plan depends on nothing but the repository`,
    fix: `write the value itself in migration.yaml (or $\${ for a literal \${)`,
  });
  return undefined;
}

function connectionValue(
  text: string,
  path: KeyPath,
  env: NodeJS.ProcessEnv,
  mode: ConnectionMode,
  result: Interpolation,
): string | undefined {
  const named: string[] = [];
  // Offline loads check the syntax of the references without reading a single variable.
  const lookup: Lookup = mode === 'offline' ? (name) => (named.push(name), '') : (name) => env[name];
  const substituted = interpolate(text, lookup);
  if (!('problems' in substituted)) {
    if (mode !== 'offline' || named.length === 0) {
      if (substituted.variables.length) result.origins.set(pathKey(path), substituted.variables);
      return substituted.value;
    }
    result.deferred.push({ path, variables: named });
    return undefined;
  }
  const unset = substituted.problems.filter((p) => p.unset !== undefined);
  const syntax = substituted.problems.filter((p) => p.unset === undefined);
  result.problems.push(...syntax.map((p) => ({ message: p.message, fix: p.fix, path })));
  if (mode === 'lazy' && syntax.length === 0)
    result.deferred.push({ path, variables: unset.map((p) => p.unset as string) });
  else result.problems.push(...unset.map((p) => ({ message: p.message, fix: p.fix, path })));
  return undefined;
}

export function pathKey(path: KeyPath): string {
  return JSON.stringify(path);
}
