import type { default as AjvClass, Options, ValidateFunction } from 'ajv';
import { createHash } from 'crypto';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { resolve } from 'path';

/** Where the schema lives in the package (for docs and editors' yaml-language-server). */
export const SPEC_SCHEMA_PATH = 'schemas/migration.schema.json';
export const SPEC_SCHEMA_FILE = resolve(__dirname, '..', '..', SPEC_SCHEMA_PATH);

/**
 * The validator ajv compiles from the schema, written as JavaScript by `npm run build` next to
 * this module. Compiling the schema takes most of a second at every start of the CLI; loading
 * the written one takes a few milliseconds. It carries the hash of the schema it was made from.
 */
const PRECOMPILED_FILE = resolve(__dirname, 'schema-validator.js');

// Coercion turns interpolated strings ("1000", "true") into what the schema asks for.
const AJV_OPTIONS: Options = { allErrors: true, strict: true, coerceTypes: true, useDefaults: true, verbose: true };

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

// ajv is loaded only when the schema has to be compiled here: loading it costs time too.
function newAjv(options: Options): AjvClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = (require('ajv') as { default: typeof AjvClass }).default;
  return new Ajv(options);
}

/**
 * The spec validator: the one written at build time when it was made from this schema text,
 * else compiled now (from the sources under test, or after the schema changed without a build).
 */
export function specValidator(): ValidateFunction {
  const text = readFileSync(SPEC_SCHEMA_FILE, 'utf8');
  if (existsSync(PRECOMPILED_FILE)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const written = require(PRECOMPILED_FILE) as ValidateFunction & { schemaHash?: string };
    if (written.schemaHash === hashOf(text)) return written;
  }
  return newAjv(AJV_OPTIONS).compile(JSON.parse(text));
}

/** The validator's JavaScript, as ajv writes it standalone, with the schema's hash appended. */
export function precompiledValidatorCode(): string {
  const text = readFileSync(SPEC_SCHEMA_FILE, 'utf8');
  const ajv = newAjv({ ...AJV_OPTIONS, code: { source: true } });
  const validate = ajv.compile(JSON.parse(text));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const standalone = (require('ajv/dist/standalone') as { default: (a: AjvClass, v: ValidateFunction) => string })
    .default;
  return `${standalone(ajv, validate)}\nmodule.exports.schemaHash = ${JSON.stringify(hashOf(text))};\n`;
}

/** Run by `npm run build` after tsc: writes the validator next to this module. */
export function writePrecompiledValidator(): void {
  writeFileSync(PRECOMPILED_FILE, precompiledValidatorCode());
}
