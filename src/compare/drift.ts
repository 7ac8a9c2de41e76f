/**
 * Drift: objects the plan created that were changed on the target since the last apply, by
 * someone else. Pure: the fingerprint recorded after the apply against what the target has now.
 */
export interface DriftItem {
  object: string;
  change: 'changed' | 'deleted' | 'added';
  recorded: string | null;
  now: string | null;
}

const TABLE_PARTS = new Set(['table', 'column', 'constraint', 'index', 'trigger', 'policy']);
const RELATION_STEPS = /^(?:table|view|materialized-view):(.+)$/;
const OBJECT_STEPS: Record<string, string> = {
  function: 'function',
  procedure: 'function',
  enum: 'enum',
  domain: 'domain',
  composite: 'type',
  sequence: 'sequence',
};

/** What the plan owns on the target, from the ids of the recorded steps. */
export function ownedBy(stepIds: string[]): { relations: Set<string>; objects: Set<string> } {
  const relations = new Set<string>();
  const objects = new Set<string>();
  for (const id of stepIds) {
    const rel = RELATION_STEPS.exec(id);
    if (rel) relations.add(rel[1]);
    const colon = id.indexOf(':');
    const word = OBJECT_STEPS[id.slice(0, colon)];
    if (word) objects.add(`${word} ${id.slice(colon + 1)}`);
  }
  return { relations, objects };
}

/** Keeps the objects the plan owns: its relations and everything on them, its types and functions. */
export function ownedObjects(all: Map<string, string>, stepIds: string[]): Map<string, string> {
  const { relations, objects } = ownedBy(stepIds);
  const out = new Map<string, string>();
  for (const [key, value] of all) {
    const space = key.lastIndexOf(' ', key.indexOf('.'));
    const kind = key.slice(0, space);
    const [schema, name] = key.slice(space + 1).split('.');
    const onRelation =
      (TABLE_PARTS.has(kind) || kind === 'view' || kind === 'materialized view') && relations.has(`${schema}.${name}`);
    if (onRelation || objects.has(key)) out.set(key, value);
  }
  return out;
}

export function compareFingerprints(recorded: Map<string, string>, now: Map<string, string>): DriftItem[] {
  const items: DriftItem[] = [];
  for (const [object, before] of recorded) {
    const after = now.get(object);
    if (after === undefined) items.push({ object, change: 'deleted', recorded: before, now: null });
    else if (after !== before) items.push({ object, change: 'changed', recorded: before, now: after });
  }
  for (const [object, after] of now)
    if (!recorded.has(object)) items.push({ object, change: 'added', recorded: null, now: after });
  return items.sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
}

const SIGN = { changed: '~', deleted: '-', added: '+' } as const;

/** Terraform-like lines: what changed outside, one object per line, with both definitions. */
export function driftLines(items: DriftItem[]): string[] {
  if (items.length === 0) return ['drift: none; the objects the plan created are as the last apply left them'];
  const lines = [`drift: ${items.length} object(s) changed outside supamigrate since the last apply:`];
  for (const d of items) {
    lines.push(`  ${SIGN[d.change]} ${d.object} (${d.change})`);
    if (d.recorded !== null) lines.push(`      recorded: ${d.recorded}`);
    if (d.now !== null) lines.push(`      now:      ${d.now}`);
  }
  return lines;
}
