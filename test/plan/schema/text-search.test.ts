import { buildNameMap } from '../../../src/plan/schema';
import { textSearchConfigSteps, textSearchDictionarySteps } from '../../../src/plan/schema/text-search';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

describe('textSearchDictionarySteps', () => {
  it('creates a dictionary from a built-in template with its options and comment', () => {
    const [s] = textSearchDictionarySteps([{
      schema: 'app', name: 'en', template: 'pg_catalog.snowball', templateFromExtension: false,
      options: "language = 'english', stopwords = 'english'", comment: 'stems',
    }], names);
    expect([s.id, s.phase, s.kind]).toEqual(['ts-dictionary:app2.en', 'pre-data', 'text-search-dictionary']);
    expect(s.sql).toEqual([
      'create text search dictionary "app2"."en" '
        + "(template = pg_catalog.snowball, language = 'english', stopwords = 'english');",
      'comment on text search dictionary "app2"."en" is \'stems\';',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop text search dictionary "app2"."en";\n');
  });

  it('takes an extension template from the extensions schema', () => {
    const [s] = textSearchDictionarySteps([{
      schema: 'app', name: 'plain', template: 'public.unaccent', templateFromExtension: true,
      options: null, comment: null,
    }], names);
    expect(s.sql).toEqual('create text search dictionary "app2"."plain" (template = extensions.unaccent);\n');
  });
});

describe('textSearchConfigSteps', () => {
  it('creates a configuration with its parser, then one mapping per token type', () => {
    const [s] = textSearchConfigSteps([{
      schema: 'app', name: 'cfg', parser: 'pg_catalog."default"', comment: null,
      mappings: [
        { token: 'asciiword', dictionaries: ['app.plain', 'pg_catalog.english_stem'] },
        { token: 'word', dictionaries: ['pg_catalog.simple'] },
      ],
    }], names);
    expect([s.id, s.phase, s.kind]).toEqual(['ts-config:app2.cfg', 'pre-data', 'text-search-configuration']);
    expect(s.sql).toEqual([
      'create text search configuration "app2"."cfg" (parser = pg_catalog."default");',
      'alter text search configuration "app2"."cfg" add mapping for asciiword '
        + 'with app2.plain, pg_catalog.english_stem;',
      'alter text search configuration "app2"."cfg" add mapping for word with pg_catalog.simple;',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop text search configuration "app2"."cfg";\n');
  });
});
