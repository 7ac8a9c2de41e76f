import type { ErrorObject, ValidateFunction } from 'ajv';
import { closestWord } from '../yaml/closest';
import { describeType, describeValue } from './describe-value';
import { pathKey } from './interpolate';
import { formatPath, type KeyPath, type SpecProblem } from '../yaml/problem';
import { SPEC_SCHEMA_PATH, specValidator } from './validator';

export { SPEC_SCHEMA_PATH, SPEC_SCHEMA_FILE } from './validator';

/** Where a value came from when the file did not spell it out literally. */
export interface ValueOrigins {
  /** path -> variables interpolated into the written value */
  interpolated: Map<string, string[]>;
  /** path -> seed variable that supplied a value the file left out */
  seeded: Map<string, string>;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= specValidator();
  return compiled;
}

/** Validates (and, through ajv, coerces and defaults) the raw spec in place. */
export function checkAgainstSchema(raw: unknown, origins: ValueOrigins): SpecProblem[] {
  const validate = validator();
  if (validate(raw)) return [];
  const errors = validate.errors ?? [];
  const typeFailures = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  return errors
    .filter((e) => e.keyword === 'type' || !typeFailures.has(e.instancePath))
    .filter((e) => !['if', 'anyOf', 'oneOf'].includes(e.keyword))
    .map((e) => explain(e, toKeyPath(raw, e.instancePath), origins));
}

function toKeyPath(raw: unknown, pointer: string): KeyPath {
  const path: Array<string | number> = [];
  let node = raw;
  for (const token of pointer.split('/').slice(1)) {
    const part = token.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(node) ? Number(part) : NaN;
    path.push(Number.isInteger(index) ? index : part);
    node = (node as Record<string, unknown> | undefined)?.[part];
  }
  return path;
}

function explain(e: ErrorObject, path: KeyPath, origins: ValueOrigins): SpecProblem {
  const parent = e.parentSchema as Record<string, unknown>;
  const seededBy = origins.seeded.get(pathKey(path));
  const interpolatedFrom = origins.interpolated.get(pathKey(path));
  const shown = describeValue(path, e.data) + (interpolatedFrom ? ` (from \${${interpolatedFrom.join('}, ${')}})` : '');
  const problem = describeFailure(e, path, parent, shown);
  if (!seededBy) return problem;
  return {
    ...problem,
    message: `environment variable ${seededBy}: ${problem.message}`,
    fix: `${problem.fix.replace(/ here$/, '')} in ${seededBy} (export ${seededBy}=...), or set ${formatPath(path)} in the file`,
  };
}

function describeFailure(e: ErrorObject, path: KeyPath, parent: Record<string, unknown>, shown: string): SpecProblem {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return unknownKey(path, String(params.additionalProperty), parent);
    case 'required':
      return missingKey(path, String(params.missingProperty), parent);
    case 'type':
      return {
        path,
        message: path.length
          ? `${shown} is not ${describeType(String(params.type))}`
          : 'the file must be a mapping of keys (version: 1, name: ..., ...)',
        fix: `write ${describeType(String(params.type))} here`,
      };
    case 'enum':
      return {
        path,
        message: `${shown} is not one of the allowed values`,
        fix: allowedValuesFix(e.data, params.allowedValues as unknown[]),
      };
    case 'const':
      return path.join() === 'version'
        ? {
            path,
            message: `${shown} is not supported; this engine reads version 1`,
            fix: 'set version: 1 (the only format this engine reads)',
          }
        : { path, message: `${shown} is not allowed`, fix: `use ${JSON.stringify(params.allowedValue)}` };
    case 'minimum':
    case 'maximum':
      return {
        path,
        message: `${shown} is out of range`,
        fix: `use a whole number from ${parent.minimum} to ${parent.maximum}`,
      };
    case 'pattern':
      return {
        path,
        message: `${shown} is not valid`,
        fix: `write ${parent.description ?? `a value matching ${params.pattern}`}`,
      };
    case 'minLength':
      return { path, message: 'must not be empty', fix: 'write a value, or remove the key to use the default' };
    case 'maxLength':
      return {
        path,
        message: `${shown} is longer than ${params.limit} characters`,
        fix: `shorten it to ${params.limit} characters at most`,
      };
    case 'uniqueItems':
      return {
        path: [...path, Number(params.i)],
        message: 'appears twice in the list',
        fix: 'remove the duplicate entry',
      };
    default:
      return { path, message: e.message ?? `fails ${e.keyword}`, fix: `see ${SPEC_SCHEMA_PATH}` };
  }
}

function allowedValuesFix(value: unknown, allowed: unknown[]): string {
  const guess = typeof value === 'string' ? closestWord(value, allowed.map(String)) : undefined;
  return `${guess ? `did you mean "${guess}"? ` : ''}use one of: ${allowed.join(', ')}`;
}

function unknownKey(parentPath: KeyPath, key: string, parent: Record<string, unknown>): SpecProblem {
  const allowed = Object.keys((parent.properties as Record<string, unknown>) ?? {}).sort();
  const guess = closestWord(key, allowed);
  const where = parentPath.length ? `under ${formatPath(parentPath)}` : 'at the top level';
  const list = `allowed keys ${where}: ${allowed.join(', ')}`;
  return {
    path: [...parentPath, key],
    onKey: true,
    message: `unknown key "${key}"`,
    fix: guess ? `did you mean "${guess}"? ${list}` : list,
  };
}

function missingKey(parentPath: KeyPath, key: string, parent: Record<string, unknown>): SpecProblem {
  const property = ((parent.properties as Record<string, Record<string, unknown>>) ?? {})[key] ?? {};
  const example = Array.isArray(property.examples) ? ` ${property.examples[0]}` : ' ...';
  const where = parentPath.length ? ` under ${formatPath(parentPath)}` : ' at the top level';
  const about = property.description ? `: ${property.description}` : '';
  return { path: [...parentPath, key], message: 'is required', fix: `add "${key}:${example}"${where}${about}` };
}
