/** Small helpers for printing TypeScript source. */

/** JSON with sorted keys, so equal schemas print byte for byte the same. */
export function stableJson(value: unknown, indent = 2, level = 0): string {
  const pad = ' '.repeat(indent * (level + 1));
  const end = ' '.repeat(indent * level);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad + stableJson(v, indent, level + 1)).join(',\n')}\n${end}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${pad}${JSON.stringify(k)}: ${stableJson((value as Record<string, unknown>)[k], indent, level + 1)}`).join(',\n')}\n${end}}`;
  }
  return JSON.stringify(value ?? null);
}

const RESERVED = new Set([
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'let',
  'static',
  'yield',
  'await',
  'implements',
  'interface',
  'package',
  'private',
  'protected',
  'public',
]);

/** A valid identifier from any text: `list-courses` -> `listCourses`. */
export function identifier(text: string): string {
  const words = text.split(/[^A-Za-z0-9_$]+/).filter(Boolean);
  const joined = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('') || 'operation';
  const safe = /^[0-9]/.test(joined) ? `op${joined}` : joined;
  return RESERVED.has(safe) ? `${safe}Operation` : safe;
}

export function typeName(text: string): string {
  const id = identifier(text);
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** A property key as TypeScript needs it written. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** `Course Content` / `courseContent` -> `course-content`, as Supabase function names are written. */
export function hyphenated(text: string): string {
  const name = text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (name === '') return 'api';
  return /^[a-z]/.test(name) ? name : `api-${name}`;
}

/** A template-literal-free string literal for generated code. */
export function str(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}
