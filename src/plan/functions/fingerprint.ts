import { createHash } from 'node:crypto';
import type { JsonSchema } from '../../openapi/types';
import { stableJson } from './ts';
import type { ClassifiedOperation } from './types';

/** Component names a value refers to, followed through the components themselves. */
function referenced(value: unknown, schemas: Record<string, JsonSchema>, seen = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => referenced(v, schemas, seen));
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const name = key === '$ref' && typeof v === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(v)?.[1] : undefined;
      if (name !== undefined && !seen.has(name)) {
        seen.add(name);
        referenced(schemas[name], schemas, seen);
      } else referenced(v, schemas, seen);
    }
  }
  return seen;
}

/**
 * What a hand-ported handler must honour: route, auth, parameters, body and answer, with every
 * component schema they reach. Its hash changes exactly when the legacy contract does.
 */
export function contractFingerprint(op: ClassifiedOperation, schemas: Record<string, JsonSchema>): string {
  const contract = {
    method: op.method,
    path: op.path,
    auth: op.auth,
    parameters: op.parameters,
    requestBody: op.requestBody,
    response: op.response,
  };
  const names = [...referenced(contract, schemas)].sort();
  const text = stableJson({ contract, components: Object.fromEntries(names.map((n) => [n, schemas[n] ?? null])) });
  return createHash('sha256').update(text).digest('hex');
}
