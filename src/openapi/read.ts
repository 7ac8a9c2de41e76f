import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { UserError } from '../errors';
import { closestWord } from '../yaml/closest';
import { locate, readYaml, type SpecDocument } from '../yaml/document';
import { SpecError, sortProblems, type PlacedProblem } from '../yaml/problem';
import { buildOperations } from './operations';
import { securitySchemes } from './security';
import { decodePointer, pointerOf, resolvePointer } from './pointer';
import type { JsonSchema, OpenApiDocument, Problem } from './types';

export type { Problem } from './types';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads an OpenAPI 3.0 / 3.1 document (YAML or JSON, JSON being YAML too) from disk. Every
 * problem is reported at once as `file:line:col <JSON pointer>: message` with a fix.
 */
export function readOpenApi(path: string, label: string): OpenApiDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      `${label} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`,
      'correct functions.openapi in migration.yaml: the path is relative to the spec file',
    );
  }
  return parseOpenApi(text, label, extname(path).toLowerCase() === '.json');
}

/** Same as readOpenApi for text in memory; `label` names the file in errors. */
export function parseOpenApi(text: string, label: string, json = false): OpenApiDocument {
  const parsed = readYaml(text);
  if ('problems' in parsed) {
    const kind = json ? 'JSON' : 'YAML';
    throw new SpecError(
      label,
      parsed.problems.map((p) => ({
        line: p.at?.line ?? 1,
        col: p.at?.col ?? 1,
        path: '',
        message: p.message.replace(/^YAML:/, `${kind}:`),
        fix: json ? 'correct the JSON syntax here (quotes, commas, brackets)' : p.fix,
      })),
    );
  }
  const source = parsed.document;
  const root = source.doc.toJS({ maxAliasCount: 100 }) as unknown;
  const problems = [...rootProblems(root), ...referenceProblems(root)];
  const place = (p: Problem): PlacedProblem => ({
    ...locateIn(source, p.path, p.onKey),
    path: pointerOf(p.path),
    message: p.message,
    fix: p.fix,
  });
  if (problems.length > 0) throw new SpecError(label, sortProblems(problems.map(place)));
  const doc = root as Plain;
  const at = (path: (string | number)[]) => {
    const { line, col } = locateIn(source, path, true);
    return `${label}:${line}:${col}`;
  };
  const built = buildOperations(doc, at);
  if (built.problems.length > 0) throw new SpecError(label, sortProblems(built.problems.map(place)));
  const components = isPlain(doc.components) ? doc.components : {};
  const schemas = isPlain(components.schemas) ? (components.schemas as Record<string, JsonSchema>) : {};
  const info = isPlain(doc.info) ? doc.info : {};
  return {
    file: label,
    version: String(doc.openapi),
    title: typeof info.title === 'string' ? info.title : '',
    operations: built.operations,
    schemas,
    securitySchemes: securitySchemes(doc),
  };
}

function locateIn(source: SpecDocument, path: (string | number)[], onKey = false): { line: number; col: number } {
  return locate(source, path, onKey);
}

function rootProblems(root: unknown): Problem[] {
  if (!isPlain(root))
    return [
      {
        path: [],
        message: 'is not an OpenAPI document (expected a mapping at the top)',
        fix: 'pass the OpenAPI 3.0 or 3.1 document of the API (YAML or JSON)',
      },
    ];
  if (typeof root.swagger === 'string') {
    return [
      {
        path: ['swagger'],
        message: `Swagger ${root.swagger} documents are not read`,
        fix:
          'convert it to OpenAPI 3 first (for example with swagger2openapi), then point functions.openapi at the ' +
          'result',
      },
    ];
  }
  const problems: Problem[] = [];
  if (typeof root.openapi !== 'string' || !/^3\.[01](\.\d+)?$/.test(root.openapi)) {
    problems.push({
      path: ['openapi'],
      message: `openapi: ${JSON.stringify(root.openapi ?? null)} is not a version this reads (3.0.x or 3.1.x)`,
      fix: 'write openapi: 3.1.0 (or 3.0.3) at the top of the document',
    });
  }
  if (!isPlain(root.paths))
    problems.push({
      path: ['paths'],
      message: 'paths is missing or not a mapping',
      fix: 'list the API routes under paths: (path -> method -> operation)',
    });
  return problems;
}

/** Every `$ref` must be local (`#/...`) and point at something in the document. */
function referenceProblems(root: unknown): Problem[] {
  const problems: Problem[] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, [...path, i]));
    if (!isPlain(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') problems.push(...checkRef(root, value, [...path, key]));
      else walk(value, [...path, key]);
    }
  };
  walk(root, []);
  return problems;
}

function checkRef(root: unknown, ref: string, path: (string | number)[]): Problem[] {
  if (!ref.startsWith('#/')) {
    return [
      {
        path,
        message: `$ref "${ref}" points outside this document`,
        fix:
          'bundle the document first (for example `npx @redocly/cli bundle`) so every $ref is local ' +
          '(#/components/...)',
      },
    ];
  }
  if (resolvePointer(root, ref) !== undefined) return [];
  const parts = decodePointer(ref);
  const parentParts = parts.slice(0, -1);
  const parent = resolvePointer(
    root,
    `#/${parentParts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
  );
  const missing = parts[parts.length - 1];
  const where = parentParts.join('.') || 'the document';
  const near = isPlain(parent) ? closestWord(missing, Object.keys(parent)) : undefined;
  const fix = near
    ? `did you mean "#/${[...parentParts, near].join('/')}"? Otherwise define ${missing} under ${where}`
    : `define ${missing} under ${where}, or correct the reference`;
  return [{ path, message: `$ref "${ref}" points to nothing: ${where} has no "${missing}"`, fix }];
}
