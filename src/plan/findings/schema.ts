import type { Column, Constraint, Index } from '../../introspect/snapshot';
import { ident, qname } from '../../sql';
import { allowedDrops, declaredRenames, hasRows, type TargetModel, type TargetTable } from './model';
import { FINDING_CODES as C, type Finding } from './types';
import { classifyTypeChange } from './types-narrowing';

const allowFix = (name: string) =>
  `if the data may go, add \`${name}\` to evolution.allow_destructive in migration.yaml; otherwise keep it in the source or the spec's selection`;

/** Drops of schemas, tables and columns that the head plan no longer builds: data loss. */
export function destructiveFindings(
  base: TargetModel,
  head: TargetModel,
  spec: Parameters<typeof allowedDrops>[0],
): Finding[] {
  const allowed = allowedDrops(spec);
  const renamed = declaredRenames(spec);
  const out: Finding[] = [];
  const drop = (code: string, object: string, message: string) => {
    if (renamed.has(object)) return;
    const ok = allowed.has(object);
    out.push({
      code,
      category: 'destructive',
      severity: ok ? 'warning' : 'error',
      object,
      message,
      fix: ok ? 'allowed by evolution.allow_destructive' : allowFix(object),
      allowed: ok,
    });
  };
  for (const schema of base.schemas) {
    if (!head.schemas.has(schema)) drop(C.dropSchema, schema, `schema ${schema} is dropped with every object in it`);
  }
  for (const [key, table] of base.tables) {
    const now = head.tables.get(key);
    if (!now) {
      drop(C.dropTable, key, `table ${key} is dropped with its data (${rows(table)})`);
      continue;
    }
    for (const name of table.columns.keys()) {
      if (!now.columns.has(name))
        drop(C.dropColumn, `${key}.${name}`, `column ${key}.${name} is dropped with its values`);
    }
  }
  return out;
}

/** Constraints and type changes that existing rows may not satisfy, and changes that rewrite a table. */
export function dataFindings(base: TargetModel, head: TargetModel): Finding[] {
  const out: Finding[] = [];
  for (const [key, now] of head.tables) {
    const before = base.tables.get(key);
    if (!before || !hasRows(now.source)) continue;
    for (const [name, col] of now.columns) {
      const old = before.columns.get(name);
      if (!old) {
        const rewrite = addRewrites(col);
        if (rewrite)
          out.push(
            rewriteFinding(
              `${key}.${name}`,
              `adding ${key}.${name} ${rewrite} rewrites the table (${rows(now)}) under an ACCESS EXCLUSIVE lock`,
            ),
          );
        continue;
      }
      if (col.notNull && !old.notNull) out.push(notNullFinding(now, col));
      if (col.type !== old.type) out.push(...typeFindings(now, old, col));
    }
    out.push(...uniqueFindings(before, now));
  }
  return out;
}

function notNullFinding(t: TargetTable, col: Column): Finding {
  return {
    code: C.notNullAdded,
    category: 'data',
    severity: 'warning',
    object: `${t.key}.${col.name}`,
    message: `NOT NULL is added to ${t.key}.${col.name}, a table with data: any row holding null makes the change fail`,
    fix: `fill the nulls first (update ... set ${col.name} = ... where ${col.name} is null), or give the column a default`,
    countSql: `select count(*) from ${qname(t.source.schema, t.source.name)} where ${ident(col.name)} is null`,
  };
}

function typeFindings(t: TargetTable, old: Column, col: Column): Finding[] {
  const change = classifyTypeChange(old.type, col.type);
  const object = `${t.key}.${col.name}`;
  const out: Finding[] = [];
  if (change.narrowing) {
    out.push({
      code: C.typeNarrowed,
      category: 'data',
      severity: 'warning',
      object,
      message: `${object} narrows from ${old.type} to ${col.type}: values that do not fit fail the change or lose precision`,
      fix: `find and fix the rows that do not fit before merging, or keep ${old.type}`,
      ...(change.violates
        ? {
            countSql: `select count(*) from ${qname(t.source.schema, t.source.name)} where ${change.violates.replace(/\$col/g, ident(col.name))}`,
          }
        : {}),
    });
  }
  if (change.rewrite)
    out.push(
      rewriteFinding(
        object,
        `changing ${object} from ${old.type} to ${col.type} rewrites the table (${rows(t)}) under an ACCESS EXCLUSIVE lock`,
      ),
    );
  return out;
}

function rewriteFinding(object: string, message: string): Finding {
  return {
    code: C.tableRewrite,
    category: 'locking',
    severity: 'warning',
    object,
    message,
    fix: 'apply it in a quiet window, or add a new column, backfill it in batches and swap it in',
  };
}

/** A new column rewrites every row when its value must be computed per row. */
function addRewrites(col: Column): string | null {
  if (col.generated) return 'as a stored generated column';
  if (col.identity) return 'as an identity column';
  const volatile = /\b(gen_random_uuid|uuid_generate_v[14]|random|clock_timestamp|nextval|timeofday)\s*\(/i;
  return col.default && volatile.test(col.default) ? `with the volatile default ${col.default}` : null;
}

type UniqueKey = { name: string; columns: string[] };

function uniqueKeys(t: TargetTable): UniqueKey[] {
  const fromConstraints = t.source.constraints.filter((c: Constraint) => c.kind === 'u' || c.kind === 'p');
  const fromIndexes = t.source.indexes.filter((i: Index) => i.unique && !i.partial && i.constraint === null);
  return [...fromConstraints, ...fromIndexes].map((k) => ({ name: k.name, columns: [...k.columns] }));
}

function uniqueFindings(before: TargetTable, now: TargetTable): Finding[] {
  const had = new Set(uniqueKeys(before).map((k) => k.columns.join(',')));
  return uniqueKeys(now)
    .filter(
      (k) => k.columns.length > 0 && !had.has(k.columns.join(',')) && k.columns.every((c) => before.columns.has(c)),
    )
    .map((k) => {
      const cols = k.columns.map(ident).join(', ');
      const notNull = k.columns.map((c) => `${ident(c)} is not null`).join(' and ');
      return {
        code: C.uniqueAdded,
        category: 'data' as const,
        severity: 'warning' as const,
        object: `${now.key}.${k.name}`,
        message: `${k.name} makes (${k.columns.join(', ')}) unique on ${now.key}, a table with data: duplicate rows make the change fail`,
        fix: 'remove or merge the duplicates before merging this change',
        countSql: `select coalesce(sum(n), 0) from (select count(*) as n from ${qname(now.source.schema, now.source.name)} where ${notNull} group by ${cols} having count(*) > 1) as duplicates`,
      };
    });
}

function rows(t: TargetTable): string {
  const n = t.source.estimatedRows;
  if (n < 0) return 'row count unknown';
  return n === 0 ? 'empty when introspected' : `~${n.toLocaleString('en-US')} rows`;
}
