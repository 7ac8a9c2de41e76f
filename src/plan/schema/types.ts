import type { CompositeType, DomainType, EnumType } from '../../introspect/snapshot';
import { ident, literal, qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

export function enumSteps(enums: EnumType[], names: NameMap): Step[] {
  return enums.map((e) => {
    const name = qname(names.schema(e.schema), e.name);
    const values = e.values.map(literal).join(', ');
    return step(
      `enum:${names.schema(e.schema)}.${e.name}`,
      'pre-data',
      'enum',
      `create type ${name} as enum (${values});${commentSql(`type ${name}`, e.comment)}`,
      `drop type ${name};`,
    );
  });
}

export function domainSteps(domains: DomainType[], names: NameMap): Step[] {
  return domains.map((d) => {
    const name = qname(names.schema(d.schema), d.name);
    const parts = [`create domain ${name} as ${names.rewrite(d.baseType)}`];
    if (d.collation) parts.push(`collate ${names.rewrite(d.collation)}`);
    if (d.default !== null) parts.push(`default ${names.rewrite(d.default)}`);
    if (d.notNull) parts.push('not null');
    // NOT VALID exists only in ALTER DOMAIN ... ADD CONSTRAINT, as pg_dump writes it.
    const notValid = d.checks.filter((c) => / NOT VALID$/.test(c.definition));
    for (const c of d.checks)
      if (!notValid.includes(c)) parts.push(`constraint ${ident(c.name)} ${names.rewrite(c.definition)}`);
    const later = notValid.map(
      (c) => `\nalter domain ${name} add constraint ${ident(c.name)} ${names.rewrite(c.definition)};`,
    );
    return step(
      `domain:${names.schema(d.schema)}.${d.name}`,
      'pre-data',
      'domain',
      `${parts.join('\n  ')};${later.join('')}${commentSql(`domain ${name}`, d.comment)}`,
      `drop domain ${name};`,
    );
  });
}

export function compositeSteps(composites: CompositeType[], names: NameMap): Step[] {
  return composites.map((c) => {
    const name = qname(names.schema(c.schema), c.name);
    const attrs = c.attributes
      .map(
        (a) =>
          `  ${ident(a.name)} ${names.rewrite(a.type)}${a.collation ? ` collate ${names.rewrite(a.collation)}` : ''}`,
      )
      .join(',\n');
    return step(
      `composite:${names.schema(c.schema)}.${c.name}`,
      'pre-data',
      'composite',
      `create type ${name} as (\n${attrs}\n);${commentSql(`type ${name}`, c.comment)}`,
      `drop type ${name};`,
    );
  });
}
