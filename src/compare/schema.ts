import type { Snapshot } from '../introspect/snapshot';
import { buildNameMap, selectObjects } from '../plan/schema';
import { skippedObjects } from '../plan/schema/more-kinds';
import { routineObject } from '../analyze/unsupported';
import { rewriteRoleLiterals } from '../plan/schema/role-literals';
import type { SchemaMapping } from '../spec/types';

export interface SchemaDifference {
  object: string;
  /** missing on the target, unexpected on the target, or different. */
  kind: 'missing' | 'unexpected' | 'different';
  detail: string;
}

type Comparable = Map<string, string>;

/**
 * Schema parity: the source as the plan maps it (selected objects, renamed schemas, extension
 * objects moved to `extensions`, the source's own roles as security.roles maps them: `roleOf`)
 * against what the target has. Ownership, grants and sizes are not compared.
 */
export function compareSchemas(
  source: Snapshot,
  target: Snapshot,
  mapping: SchemaMapping,
  roleOf: (role: string) => string = (r) => r,
): SchemaDifference[] {
  const selected = withoutSkipped(selectObjects(source, mapping));
  const names = buildNameMap(selected, mapping);
  const expected = comparable(
    selected,
    (s) => names.schema(s),
    (t) => names.rewrite(t),
    roleOf,
  );
  const actual = comparable(
    selectObjects(target, { ...mapping, includeSchemas: null, includeTables: null, renameSchemas: {} }),
    (s) => s,
    (t) => t,
  );
  const diffs: SchemaDifference[] = [];
  for (const [key, value] of expected) {
    const got = actual.get(key);
    if (got === undefined) diffs.push({ object: key, kind: 'missing', detail: value });
    else if (got !== value)
      diffs.push({ object: key, kind: 'different', detail: `expected ${value}\n  found    ${got}` });
  }
  const expectedSchemas = new Set([...expected.keys()].map((k) => k.split(' ')[1]?.split('.')[0]));
  for (const [key, value] of actual) {
    const schema = key.split(' ')[1]?.split('.')[0];
    if (!expected.has(key) && expectedSchemas.has(schema))
      diffs.push({ object: key, kind: 'unexpected', detail: value });
  }
  return diffs.sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
}

/** The source without the routines Supabase cannot hold, which the plan skips (schema.skip_objects). */
function withoutSkipped(s: Snapshot): Snapshot {
  const skipped = skippedObjects(s);
  return { ...s, functions: s.functions.filter((r) => !skipped.has(routineObject(r))) };
}

/** Every object of a snapshot as `kind schema.name` -> its compared definition (drift uses it). */
export function schemaObjects(s: Snapshot): Map<string, string> {
  return comparable(
    s,
    (n) => n,
    (t) => t,
  );
}

function comparable(
  s: Snapshot,
  schema: (n: string) => string,
  text: (t: string) => string,
  roleOf: (role: string) => string = (r) => r,
): Comparable {
  const out: Comparable = new Map();
  const put = (key: string, value: unknown) => out.set(key, JSON.stringify(value));
  const q = (sch: string, name: string) => `${schema(sch)}.${name}`;
  for (const e of s.enums) put(`enum ${q(e.schema, e.name)}`, e.values);
  for (const d of s.domains)
    put(`domain ${q(d.schema, d.name)}`, [
      text(d.baseType),
      d.notNull,
      d.default && text(d.default),
      d.checks.map((c) => [c.name, text(c.definition)]),
    ]);
  for (const c of s.composites)
    put(
      `type ${q(c.schema, c.name)}`,
      c.attributes.map((a) => [a.name, text(a.type)]),
    );
  for (const seq of s.sequences)
    put(`sequence ${q(seq.schema, seq.name)}`, [seq.dataType, seq.increment, seq.min, seq.max]);
  for (const t of s.tables) {
    const name = q(t.schema, t.name);
    put(`table ${name}`, [t.kind, t.partitionKey && text(t.partitionKey), t.partitionBound, t.rlsEnabled, t.rlsForced]);
    for (const c of t.columns) {
      put(`column ${name}.${c.name}`, [
        c.position,
        text(c.type),
        c.notNull,
        c.default && text(c.default),
        c.identity,
        c.generated && text(c.generated),
      ]);
    }
    for (const c of t.constraints) put(`constraint ${name}.${c.name}`, [c.kind, text(c.definition)]);
    for (const i of t.indexes) put(`index ${name}.${i.name}`, text(i.definition));
  }
  for (const v of s.views) {
    put(`${v.materialized ? 'materialized view' : 'view'} ${q(v.schema, v.name)}`, text(v.definition));
    for (const i of v.indexes) put(`index ${q(v.schema, v.name)}.${i.name}`, text(i.definition));
  }
  for (const f of s.functions) put(`function ${q(f.schema, f.name)}(${text(f.identityArgs)})`, text(f.definition));
  for (const t of s.triggers) put(`trigger ${q(t.schema, t.table)}.${t.name}`, [text(t.definition), t.enabled]);
  for (const p of s.policies) {
    const roles = [...new Set(p.roles.map(roleOf))].sort();
    const expr = (e: string) => rewriteRoleLiterals(text(e), roleOf);
    put(`policy ${q(p.schema, p.table)}.${p.name}`, [
      p.permissive,
      p.command,
      roles,
      p.using && expr(p.using),
      p.withCheck && expr(p.withCheck),
    ]);
  }
  return out;
}
