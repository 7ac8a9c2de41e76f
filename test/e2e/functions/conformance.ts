/** A JSON Schema subset as OpenAPI documents write response bodies (objects, arrays, scalars, $ref). */
export interface DocSchema {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, DocSchema>;
  items?: DocSchema;
}

const TYPE_OF: Record<string, (v: unknown) => boolean> = {
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: Array.isArray,
  string: (v) => typeof v === 'string',
  integer: Number.isInteger,
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
};

/**
 * Where `value` breaks `schema` (empty when it conforms). `nullStrings` accepts null for a string:
 * the RealWorld document's own examples answer `"image": null` for a user without a picture.
 */
export function problemsAgainst(value: unknown, schema: DocSchema, schemas: Record<string, DocSchema>, at = '$', nullStrings = true): string[] {
  if (schema.$ref) return problemsAgainst(value, schemas[schema.$ref.split('/').pop()!], schemas, at, nullStrings);
  if (value === null && schema.type === 'string' && nullStrings) return [];
  if (schema.type && !TYPE_OF[schema.type]?.(value)) return [`${at} is ${JSON.stringify(value)}, not ${schema.type}`];
  const out: string[] = [];
  if (schema.type === 'array' && schema.items) (value as unknown[]).forEach((v, i) => out.push(...problemsAgainst(v, schema.items!, schemas, `${at}[${i}]`, nullStrings)));
  if (schema.type === 'object' || schema.properties) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) out.push(`${at}.${key} is missing`);
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (key in obj) out.push(...problemsAgainst(obj[key], sub, schemas, `${at}.${key}`, nullStrings));
    }
  }
  return out;
}
