import { parseSpec } from '../../../src/spec';
import { checkKeywords, checkRefusesNull } from '../../../src/plan/types/checks';
import { planValidation } from '../../../src/plan/types/validation';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { specFor } from '../../helpers/spec';

describe('checkKeywords', () => {
  it('reads the forms ruleutils prints for BETWEEN, IN, negative constants, casts and quoted names', () => {
    expect(checkKeywords("CHECK ((a >= '-5'::integer))", 'a')).toEqual({ minimum: -5 });
    expect(checkKeywords('CHECK (((b >= 1) AND (b <= 10)))', 'b')).toEqual({ minimum: 1, maximum: 10 });
    expect(checkKeywords('CHECK ((char_length((d)::text) <= 3))', 'd')).toEqual({ maxLength: 3 });
    expect(checkKeywords('CHECK ((f = ANY (ARRAY[1, 2, 3])))', 'f')).toEqual({ enum: [1, 2, 3] });
    expect(checkKeywords("CHECK (((g)::text = ANY ((ARRAY['p'::character varying, 'q'::character varying])::text[])))", 'g')).toEqual({ enum: ['p', 'q'] });
    expect(checkKeywords("CHECK (((i >= '-1.5'::numeric) AND (i < '1000'::numeric)))", 'i')).toEqual({ minimum: -1.5, exclusiveMaximum: 1000 });
    expect(checkKeywords('CHECK ((j <> 0))', 'j')).toEqual({ not: { const: 0 } });
    expect(checkKeywords('CHECK (("Full Name" <> \'\'::text))', 'Full Name')).toEqual({ minLength: 1 });
    expect(checkKeywords('CHECK ((k IS NOT NULL))', 'k')).toEqual({});
    expect(checkRefusesNull('CHECK ((k IS NOT NULL))', 'k')).toBe(true);
    expect(checkRefusesNull('CHECK ((k > 0))', 'k')).toBe(false);
  });

  it('reads ranges, lists and lengths of one column as Postgres prints them', () => {
    expect(checkKeywords('CHECK (((score >= (0)::numeric) AND (score <= (100)::numeric)))', 'score')).toEqual({ minimum: 0, maximum: 100 });
    expect(checkKeywords('CHECK ((qty > 0))', 'qty')).toEqual({ exclusiveMinimum: 0 });
    expect(checkKeywords("CHECK ((kind = ANY (ARRAY['pdf'::text, 'it''s'::text])))", 'kind')).toEqual({ enum: ['pdf', "it's"] });
    expect(checkKeywords('CHECK ((length(title) > 0))', 'title')).toEqual({ minLength: 1 });
    expect(checkKeywords("CHECK ((note <> ''::text))", 'note')).toEqual({ minLength: 1 });
  });

  it('leaves anything else to the database', () => {
    expect(checkKeywords('CHECK ((ends_on > starts_on))', 'ends_on')).toBeNull();
    expect(checkKeywords('CHECK ((lower(code) = code))', 'code')).toBeNull();
  });
});

describe('planValidation', () => {
  const snap = emptySnapshot({
    tables: [table('public', 't', [
      column('id', 'integer', { typeName: 'int4', notNull: true, identity: 'a' }),
      column('name', 'character varying(3)', { typeName: 'varchar', notNull: true }),
      column('n', 'smallint', { typeName: 'int2', notNull: true, default: '1' }),
    ])],
  });

  it('writes nothing unless the spec asks for jsonschema', () => {
    expect(planValidation(snap, specFor('/app'))).toBeNull();
    expect(planValidation(snap, { ...specFor('/app'), types: { validation: 'none' } })).toBeNull();
  });

  it('requires on insert what has no default, never the identity, and bounds types', () => {
    const file = planValidation(snap, { ...specFor('/app'), types: { validation: 'jsonschema', validationOutput: 'v.json' } });
    expect(file?.path).toBe('v.json');
    const doc = JSON.parse((file as { content: string }).content);
    expect(doc.definitions['public.t.Insert']).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        n: { type: 'integer', minimum: -32768, maximum: 32767 },
        name: { type: 'string', maxLength: 3 },
      },
    });
    expect(doc.definitions['public.t.Update'].required).toEqual([]);
  });
});

describe('the types section of the spec', () => {
  const parse = (types: string) => parseSpec(`version: 1\nname: app\ntypes:\n${types}\n`, '/app/migration.yaml', {});

  it('maps output, schemas and validation', () => {
    expect(parse('  output: web/db.ts\n  schemas: [public, core]\n  validation: jsonschema\n  validation_output: web/db.json').types).toEqual({
      output: 'web/db.ts', schemas: ['public', 'core'], validation: 'jsonschema', validationOutput: 'web/db.json',
    });
    expect(parseSpec('version: 1\nname: app\n', '/app/migration.yaml', {}).types).toEqual({});
  });

  it('refuses paths leaving the folder, unknown keys and unknown formats', () => {
    expect(() => parse('  output: ../db.ts')).toThrow(/types\.output/);
    expect(() => parse('  outptu: db.ts')).toThrow(/outptu/);
    expect(() => parse('  validation: yup')).toThrow(/types\.validation.*\n.*zod, jsonschema, none/);
  });

  it('takes zod with a .ts output, and refuses an output of the other kind', () => {
    expect(parse('  validation: zod').types).toEqual({ validation: 'zod' });
    expect(parse('  validation: zod\n  validation_output: web/db.schemas.ts').types).toEqual({ validation: 'zod', validationOutput: 'web/db.schemas.ts' });
    expect(() => parse('  validation: zod\n  validation_output: web/db.json')).toThrow(/migration\.yaml:5:\d+ types\.validation_output[^]*\\\.ts\$/);
    expect(() => parse('  validation: jsonschema\n  validation_output: web/db.ts')).toThrow(/types\.validation_output[^]*\\\.json\$/);
  });
});
