import type { TextSearchConfig, TextSearchDictionary } from '../../introspect/snapshot';
import { qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { commentSql, step } from './step';

/** A template an extension brings lives in schema `extensions` on Supabase. */
function templateName(d: TextSearchDictionary, names: NameMap): string {
  if (!d.templateFromExtension) return names.rewrite(d.template);
  const unqualified = /^(?:"(?:[^"]|"")+"|[^.]+)\.(.+)$/.exec(d.template)?.[1] ?? d.template;
  return `extensions.${unqualified}`;
}

export function textSearchDictionarySteps(dictionaries: TextSearchDictionary[], names: NameMap): Step[] {
  return dictionaries.map((d) => {
    const name = qname(names.schema(d.schema), d.name);
    const options = [`template = ${templateName(d, names)}`, ...(d.options ? [d.options] : [])].join(', ');
    return step(
      `ts-dictionary:${names.schema(d.schema)}.${d.name}`,
      'pre-data',
      'text-search-dictionary',
      `create text search dictionary ${name} (${options});${commentSql(`text search dictionary ${name}`, d.comment)}`,
      `drop text search dictionary ${name};`,
    );
  });
}

/** The configuration with its parser, then one mapping per token type, dictionaries in their order. */
export function textSearchConfigSteps(configs: TextSearchConfig[], names: NameMap): Step[] {
  return configs.map((c) => {
    const name = qname(names.schema(c.schema), c.name);
    const lines = [`create text search configuration ${name} (parser = ${names.rewrite(c.parser)});`];
    for (const m of c.mappings) {
      const dictionaries = m.dictionaries.map((d) => names.rewrite(d)).join(', ');
      lines.push(`alter text search configuration ${name} add mapping for ${m.token} with ${dictionaries};`);
    }
    return step(
      `ts-config:${names.schema(c.schema)}.${c.name}`,
      'pre-data',
      'text-search-configuration',
      `${lines.join('\n')}${commentSql(`text search configuration ${name}`, c.comment)}`,
      `drop text search configuration ${name};`,
    );
  });
}
