import type { Spec } from '../../spec/types';
import type { Step } from '../types';
import type { TargetModel } from './model';
import { FINDING_CODES as C, type Finding } from './types';
import { exposedSchemas } from '../../spec/exposed';

/** Tables estimated at this many rows or more are "large": building an index blocks writes for long. */
export const LARGE_TABLE_ROWS = 100_000;

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const unquote = (part: string) => (part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part);
const QUALIFIED = String.raw`(${IDENT})\.(${IDENT})`;

/** Steps that are new in head, or whose SQL changed. */
export function newOrChanged(base: readonly Step[], head: readonly Step[]): Step[] {
  const before = new Map(base.map((s) => [s.id, s.checksum]));
  return head.filter((s) => before.get(s.id) !== s.checksum);
}

/** New indexes built without CONCURRENTLY on large tables that already exist. */
export function indexLockFindings(
  base: readonly Step[],
  head: readonly Step[],
  baseModel: TargetModel,
  headModel: TargetModel,
): Finding[] {
  const out: Finding[] = [];
  const onTable = new RegExp(String.raw`\bon\s+(?:only\s+)?${QUALIFIED}`, 'i');
  for (const step of newOrChanged(base, head)) {
    if (step.kind !== 'index' || /\bconcurrently\b/i.test(step.sql)) continue;
    const m = onTable.exec(step.sql);
    if (!m) continue;
    const key = `${unquote(m[1])}.${unquote(m[2])}`;
    const table = headModel.tables.get(key);
    if (!baseModel.tables.has(key) || !table || table.source.estimatedRows < LARGE_TABLE_ROWS) continue;
    out.push({
      code: C.indexLocks,
      category: 'locking',
      severity: 'warning',
      object: step.id,
      message: `${step.id} builds an index on ${key} (~${table.source.estimatedRows.toLocaleString('en-US')} rows) without CONCURRENTLY: writes to the table wait until it is built`,
      fix:
        'apply it in a quiet window, or create the index by hand with CREATE INDEX CONCURRENTLY before merging ' +
        '(the plan then finds it in place)',
    });
  }
  return out;
}

/** Tables the RLS statements of a plan cover, as `schema.table`. */
function rlsTables(steps: readonly Step[]): Set<string> {
  const re = new RegExp(String.raw`alter\s+table\s+(?:only\s+)?${QUALIFIED}\s+enable\s+row\s+level\s+security`, 'gi');
  const out = new Set<string>();
  for (const s of steps) for (const m of s.sql.matchAll(re)) out.add(`${unquote(m[1])}.${unquote(m[2])}`);
  return out;
}

/** Tables in a schema the API serves that the head plan leaves without row level security. */
export function rlsFindings(
  base: readonly Step[],
  head: readonly Step[],
  baseModel: TargetModel,
  headModel: TargetModel,
  spec: Spec | null,
): Finding[] {
  const exposed = new Set(spec ? exposedSchemas(spec) : ['public']);
  const before = rlsTables(base);
  const now = rlsTables(head);
  return [...headModel.tables.keys()]
    .filter((key) => exposed.has(key.slice(0, key.indexOf('.'))) && !now.has(key))
    .filter((key) => !baseModel.tables.has(key) || before.has(key))
    .map((key) => ({
      code: C.tableWithoutRls,
      category: 'security' as const,
      severity: 'error' as const,
      object: key,
      message: `${key} is in an exposed schema without row level security: anyone with the anon key can read and write it through the API`,
      fix: `add \`${key}\` under security: in migration.yaml with a pattern (e.g. \`- service_only: true\` to keep it server-side)`,
    }));
}

interface PolicyText {
  stepId: string;
  name: string;
  table: string;
  command: string;
  roles: string;
  body: string;
}

function policiesIn(step: Step): PolicyText[] {
  const re = new RegExp(String.raw`create\s+policy\s+(${IDENT})\s+on\s+${QUALIFIED}([\s\S]*?);\s*(?:\n|$)`, 'gi');
  return [...step.sql.matchAll(re)].map((m) => ({
    stepId: step.id,
    name: unquote(m[1]),
    table: `${unquote(m[2])}.${unquote(m[3])}`,
    command: (/\bfor\s+(all|select|insert|update|delete)\b/i.exec(m[4])?.[1] ?? 'all').toLowerCase(),
    roles: (/\bto\s+([\s\S]*?)(?:\busing\b|\bwith\s+check\b|$)/i.exec(m[4])?.[1] ?? 'public').trim().toLowerCase(),
    body: m[4],
  }));
}

/** New or changed policies that let everyone write, or that trust user-editable metadata. */
export function policyFindings(base: readonly Step[], head: readonly Step[]): Finding[] {
  const out: Finding[] = [];
  const alwaysTrue = /\b(using|with\s+check)\s*\(\s*\(?\s*true\s*\)?\s*\)/i;
  for (const p of newOrChanged(base, head).flatMap(policiesIn)) {
    const object = `${p.table} policy "${p.name}"`;
    const apiRoles = /\b(public|anon|authenticated)\b/.test(p.roles);
    if (p.command !== 'select' && apiRoles && alwaysTrue.test(p.body)) {
      out.push({
        code: C.policyAlwaysTrue,
        category: 'security',
        severity: 'error',
        object,
        message: `${object} lets ${p.roles} ${p.command === 'all' ? 'do anything' : p.command} on any row: its expression is always true`,
        fix:
          'replace it with a pattern that checks ownership or a claim (owner, tenant, role) in the security ' +
          'section of migration.yaml',
      });
    }
    if (/user_metadata/i.test(p.body)) {
      out.push({
        code: C.policyUserMetadata,
        category: 'security',
        severity: 'error',
        object,
        message: `${object} reads user_metadata, which every signed-in user can change about themselves`,
        fix:
          'read app_metadata instead (only the service role can write it), e.g. a tenant or role pattern with ' +
          'claim app_metadata.<key>',
      });
    }
  }
  return out;
}
