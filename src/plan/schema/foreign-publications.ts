import type { EventTrigger, ForeignServer, ForeignTable, Publication } from '../../introspect/snapshot';
import { ident, literal, qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

const optionList = (options: string[]): string => (options.length > 0 ? ` options (${options.join(', ')})` : '');

/** A server of a wrapper the target offers (its extension is created before); user mappings are not carried. */
export function serverStep(s: ForeignServer): Step {
  const name = ident(s.name);
  const type = s.type === null ? '' : ` type ${literal(s.type)}`;
  const version = s.version === null ? '' : ` version ${literal(s.version)}`;
  return step(
    `server:${s.name}`,
    'pre-data',
    'server',
    `create server ${name}${type}${version} foreign data wrapper ${ident(s.wrapper)}${optionList(s.options)};${commentSql(`server ${name}`, s.comment)}`,
    `drop server ${name};`,
  );
}

export function foreignTableStep(t: ForeignTable, names: NameMap): Step {
  const name = qname(names.schema(t.schema), t.name);
  const columns = t.columns.map(
    (c) => `  ${ident(c.name)} ${names.rewrite(c.type)}${optionList(c.options)}${c.notNull ? ' not null' : ''}`,
  );
  return step(
    `foreign-table:${names.schema(t.schema)}.${t.name}`,
    'pre-data',
    'foreign-table',
    `create foreign table ${name} (\n${columns.join(',\n')}\n) server ${ident(t.server)}${optionList(t.options)};${commentSql(`foreign table ${name}`, t.comment)}`,
    `drop foreign table ${name};`,
  );
}

/** A publication of listed tables (with column lists and row filters), after the data. */
export function publicationStep(p: Publication, names: NameMap): Step {
  const name = ident(p.name);
  const tables = p.tables.map((t) => {
    const [schema, table] = splitQualified(t.table);
    const columns = t.columns === null ? '' : ` (${t.columns.map(ident).join(', ')})`;
    return `table ${qname(names.schema(schema), table)}${columns}${t.where === null ? '' : ` where (${names.rewrite(t.where)})`}`;
  });
  const target = tables.length > 0 ? ` for ${tables.join(', ')}` : '';
  const options = [
    `publish = ${literal(p.actions.join(', '))}`,
    ...(p.viaRoot ? ['publish_via_partition_root = true'] : []),
  ];
  return step(
    `publication:${p.name}`,
    'post-data',
    'publication',
    `create publication ${name}${target} with (${options.join(', ')});${commentSql(`publication ${name}`, p.comment)}`,
    `drop publication ${name};`,
  );
}

const EVENT_STATE: Record<string, string> = { D: 'disable', R: 'enable replica', A: 'enable always' };

/** Event triggers last: one that fires on DDL must not see the migration's own statements. */
export function eventTriggerStep(e: EventTrigger, names: NameMap): Step {
  const name = ident(e.name);
  const when = e.tags.length > 0 ? ` when tag in (${e.tags.map(literal).join(', ')})` : '';
  const state = EVENT_STATE[e.enabled];
  const lines = [
    `create event trigger ${name} on ${ident(e.event)}${when} execute function ${names.rewrite(e.procedure)}();`,
  ];
  if (state) lines.push(`alter event trigger ${name} ${state};`);
  return step(
    `event-trigger:${e.name}`,
    'post-data',
    'event-trigger',
    `${lines.join('\n')}${commentSql(`event trigger ${name}`, e.comment)}`,
    `drop event trigger ${name};`,
  );
}

function splitQualified(name: string): [string, string] {
  const m = /^("(?:[^"]|"")+"|[^.]+)\.(.+)$/.exec(name);
  const unquote = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s);
  return m ? [unquote(m[1]), unquote(m[2])] : ['public', name];
}
