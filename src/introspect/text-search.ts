import type { TextSearchConfig, TextSearchDictionary } from './snapshot';
import { groupBy, rowsOf, sortByKeys, type CatalogScope } from './catalog';

const notMember = (catalog: string, oid: string) => `not exists (select 1 from pg_catalog.pg_depend ext_dep
  where ext_dep.classid = 'pg_catalog.${catalog}'::pg_catalog.regclass and ext_dep.objid = ${oid} and ext_dep.deptype = 'e')`;

/** `schema.name` of a catalog object, quoted where Postgres would quote. */
const qualifiedSql = (ns: string, name: string) =>
  `pg_catalog.quote_ident(${ns}.nspname) || '.' || pg_catalog.quote_ident(${name})`;

interface DictionaryRow {
  schema: string;
  name: string;
  template: string;
  template_extension: boolean;
  options: string | null;
  comment: string | null;
}

/** Text search dictionaries: a template and its options as the catalog keeps them. */
export async function readTextSearchDictionaries(scope: CatalogScope): Promise<TextSearchDictionary[]> {
  const rows = await rowsOf<DictionaryRow>(
    scope,
    `
    select n.nspname::text as schema, d.dictname::text as name, ${qualifiedSql('tn', 't.tmplname')} as template,
      not (${notMember('pg_ts_template', 't.oid')}) as template_extension, d.dictinitoption as options,
      pg_catalog.obj_description(d.oid, 'pg_ts_dict') as comment
    from pg_catalog.pg_ts_dict d join pg_catalog.pg_namespace n on n.oid = d.dictnamespace
      join pg_catalog.pg_ts_template t on t.oid = d.dicttemplate join pg_catalog.pg_namespace tn on tn.oid = t.tmplnamespace
    where n.oid = any($1::oid[]) and ${notMember('pg_ts_dict', 'd.oid')}
    order by n.nspname collate "C", d.dictname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.name]).map((r) => ({
    schema: r.schema,
    name: r.name,
    template: r.template,
    templateFromExtension: r.template_extension,
    options: r.options,
    comment: r.comment,
  }));
}

interface ConfigRow {
  oid: string;
  schema: string;
  name: string;
  parser: string;
  comment: string | null;
}

interface MappingRow {
  config: string;
  token: string;
  dictionaries: string[];
}

/** Text search configurations with their parser and, per token type, the dictionaries in order. */
export async function readTextSearchConfigs(scope: CatalogScope): Promise<TextSearchConfig[]> {
  const configs = await rowsOf<ConfigRow>(
    scope,
    `
    select c.oid::text as oid, n.nspname::text as schema, c.cfgname::text as name, ${qualifiedSql('pn', 'p.prsname')} as parser,
      pg_catalog.obj_description(c.oid, 'pg_ts_config') as comment
    from pg_catalog.pg_ts_config c join pg_catalog.pg_namespace n on n.oid = c.cfgnamespace
      join pg_catalog.pg_ts_parser p on p.oid = c.cfgparser join pg_catalog.pg_namespace pn on pn.oid = p.prsnamespace
    where n.oid = any($1::oid[]) and ${notMember('pg_ts_config', 'c.oid')}
    order by n.nspname collate "C", c.cfgname collate "C"`,
  );
  const mappings = await rowsOf<MappingRow>(
    scope,
    `
    select m.mapcfg::text as config, tt.alias as token,
      array_agg(${qualifiedSql('dn', 'd.dictname')} order by m.mapseqno) as dictionaries
    from pg_catalog.pg_ts_config_map m join pg_catalog.pg_ts_config c on c.oid = m.mapcfg
      join pg_catalog.ts_token_type(c.cfgparser) tt on tt.tokid = m.maptokentype
      join pg_catalog.pg_ts_dict d on d.oid = m.mapdict join pg_catalog.pg_namespace dn on dn.oid = d.dictnamespace
    where c.cfgnamespace = any($1::oid[])
    group by m.mapcfg, tt.alias order by m.mapcfg, tt.alias collate "C"`,
  );
  const byConfig = groupBy(mappings, (m) => m.config);
  return sortByKeys(configs, (r) => [r.schema, r.name]).map((r) => ({
    schema: r.schema,
    name: r.name,
    parser: r.parser,
    mappings: sortByKeys(byConfig.get(r.oid) ?? [], (m) => [m.token]).map((m) => ({
      token: m.token,
      dictionaries: m.dictionaries,
    })),
    comment: r.comment,
  }));
}
