import { buildNameMap } from '../../../src/plan/schema';
import { collationSteps } from '../../../src/plan/schema/collations';
import { textSearchConfigSteps, textSearchDictionarySteps } from '../../../src/plan/schema/text-search';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { legacy: 'archive' } });

describe('collations', () => {
  it('creates ICU and libc collations with their options, and drops them', () => {
    const steps = collationSteps([
      { schema: 'legacy', name: 'ci', provider: 'i', deterministic: false, lcCollate: null, lcCtype: null, locale: 'und-u-ks-level2', rules: null, comment: 'no case' },
      { schema: 'public', name: 'bytes', provider: 'c', deterministic: true, lcCollate: 'C', lcCtype: 'C', locale: null, rules: null, comment: null },
      { schema: 'public', name: 'dflt', provider: 'd', deterministic: true, lcCollate: null, lcCtype: null, locale: null, rules: null, comment: null },
    ], names);
    expect(steps.map((s) => s.sql)).toEqual([
      `create collation "archive"."ci" (provider = icu, locale = 'und-u-ks-level2', deterministic = false);\ncomment on collation "archive"."ci" is 'no case';\n`,
      `create collation "public"."bytes" (provider = libc, lc_collate = 'C', lc_ctype = 'C');\n`,
    ]);
    expect(steps.map((s) => s.down)).toEqual(['drop collation "archive"."ci";\n', 'drop collation "public"."bytes";\n']);
  });
});

describe('text search', () => {
  it('creates a dictionary from its template and options; an extension template lives in extensions', () => {
    const steps = textSearchDictionarySteps([
      { schema: 'public', name: 'stem', template: 'pg_catalog.snowball', templateFromExtension: false, options: "language = 'english'", comment: null },
      { schema: 'public', name: 'plain', template: 'public.unaccent', templateFromExtension: true, options: null, comment: null },
    ], names);
    expect(steps.map((s) => s.sql)).toEqual([
      `create text search dictionary "public"."stem" (template = pg_catalog.snowball, language = 'english');\n`,
      'create text search dictionary "public"."plain" (template = extensions.unaccent);\n',
    ]);
  });

  it('creates a configuration with its parser and one mapping per token type, in dictionary order', () => {
    const [s] = textSearchConfigSteps([{
      schema: 'legacy', name: 'search', parser: 'pg_catalog."default"', comment: null,
      mappings: [
        { token: 'asciiword', dictionaries: ['legacy.stem', 'pg_catalog.english_stem'] },
        { token: 'int', dictionaries: ['pg_catalog.simple'] },
      ],
    }], names);
    expect(s.sql).toBe([
      'create text search configuration "archive"."search" (parser = pg_catalog."default");',
      'alter text search configuration "archive"."search" add mapping for asciiword with archive.stem, pg_catalog.english_stem;',
      'alter text search configuration "archive"."search" add mapping for int with pg_catalog.simple;',
      '',
    ].join('\n'));
    expect(s.down).toBe('drop text search configuration "archive"."search";\n');
  });
});
