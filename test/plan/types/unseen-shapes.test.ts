import { planTypes } from '../../../src/plan/types/index';
import { str } from '../../../src/plan/types/layout';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { specFor } from '../../helpers/spec';
import { arg, fk, fn, key, view } from './builders';
import { UserError } from '../../../src/errors';

// Shapes the unseen fixture (test/fixtures/types-unseen.sql) found; the e2e test compares them
// with postgres-meta, these pin each rule on its own.

describe('string literals as the formatter prints them', () => {
  it('keeps double quotes unless the text has more double than single quotes', () => {
    expect(str('plain')).toBe('"plain"');
    expect(str("it's")).toBe('"it\'s"');
    expect(str('say "hi"')).toBe('\'say "hi"\'');
    expect(str('it\'s "quoted"')).toBe('\'it\\\'s "quoted"\'');
    expect(str('a\\b "c"')).toBe('\'a\\\\b "c"\'');
    expect(str('\'"\'"')).toBe('"\'\\"\'\\""');
  });
});

describe('shapes beyond the example', () => {
  const things = table('public', 'things', [
    column('id', 'integer', { typeName: 'int4', notNull: true }),
    column('pct', 'public.percent', { typeSchema: 'public', typeName: 'percent' }),
    column('pcts', 'public.percent[]', { typeSchema: 'public', typeName: 'percent', isArray: true }),
    column('shorts', 'public.shorts', { typeSchema: 'public', typeName: 'shorts' }),
    column('say "hi"', 'text'),
  ], { constraints: [key('things_pkey', 'p', ['id'])] });
  const items = table('inventory', 'items', [column('sku', 'text', { notNull: true })]);
  const snap = emptySnapshot({
    schemas: [{ name: 'inventory', owner: 'postgres', comment: null }],
    domains: [
      { schema: 'public', name: 'percent', baseType: 'numeric(5,2)', notNull: false, default: null, collation: null, checks: [], comment: null },
      { schema: 'public', name: 'shorts', baseType: 'public.percent[]', notNull: false, default: null, collation: null, checks: [], comment: null },
    ],
    tables: [things, items],
    functions: [
      fn('owner_of', [arg('t', 'public.things')], 'SETOF public.things', { definition: 'CREATE FUNCTION x()\n RETURNS SETOF things\n LANGUAGE sql\n STABLE ROWS 1\nAS $$ select 1 $$' }),
      fn('find', [arg('q', 'text')], 'SETOF public.things'),
      fn('find', [arg('q', 'integer')], 'SETOF public.things'),
      fn('item_rows', [], 'SETOF inventory.items'),
      fn('label_of', [arg('', 'public.things')], 'text'),
      fn('pcts', [], 'SETOF public.percent'),
    ],
  });
  const content = planTypes(snap, specFor('/work/app', { types: { schemas: ['inventory', 'public'] } })).content;

  it('resolves a domain column one level, and leaves domains elsewhere unknown', () => {
    expect(content).toContain('          pct: number | null\n');
    expect(content).toContain('          pcts: unknown[] | null\n');
    expect(content).toContain('          shorts: unknown[] | null\n');
    expect(content).toContain('      pcts: { Args: Record<PropertyKey, never>; Returns: unknown[] }');
    expect(content).toContain('          \'say "hi"\': string | null\n');
  });

  it('reads a set of rows estimated at one row (ROWS 1) as a single row', () => {
    const entry = content.slice(content.indexOf('\n      owner_of: {'), content.indexOf('\n      pcts:'));
    expect(entry).toContain('        }\n        SetofOptions: {\n          from: "things"\n          to: "things"\n          isOneToOne: true\n          isSetofReturn: true');
  });

  it('keeps the set and SetofOptions on overloads PostgREST cannot choose between', () => {
    expect(content).toContain('public.find(q => int4), public.find(q => text). Try renaming the parameters or the function itself in the database so function overloading can be resolved"[]\n            SetofOptions: {');
  });

  it('references rows of another schema instead of spelling them out', () => {
    expect(content).toContain('        Returns: Database["inventory"]["Tables"]["items"]["Row"][]\n');
  });

  it('gives a direct call of a computed field with an unnamed row argument the error type', () => {
    expect(content).toContain('        Args: { "": Database["public"]["Tables"]["things"]["Row"] }\n        Returns: {\n          error: true\n        } & "the function public.label_of with parameter');
    expect(content).toContain('          label_of: string | null\n');
  });

  it('prints the same bytes when planned twice', () => {
    expect(planTypes(snap, specFor('/work/app', { types: { schemas: ['inventory', 'public'] } })).content).toBe(content);
  });
});

describe('types.schemas like supabase gen types --schema', () => {
  const parents = table('public', 'parents', [column('id', 'integer', { typeName: 'int4', notNull: true })], { constraints: [key('parents_pkey', 'p', ['id'])] });
  const kids = table('app', 'kids', [column('parent_id', 'integer', { typeName: 'int4' })], { constraints: [fk('kids_parent_id_fkey', ['parent_id'], 'public.parents', ['id'])] });
  const shown = view('public', 'shown_kids', 'SELECT k.parent_id FROM app.kids k;', [['parent_id', 'integer']], {
    writes: { insert: true, update: true, columns: ['parent_id'] },
    origins: { parent_id: ['app', 'kids', 'parent_id'] },
  });
  const snap = emptySnapshot({
    schemas: [{ name: 'app', owner: 'postgres', comment: null }, { name: 'public', owner: 'postgres', comment: null }],
    tables: [parents, kids],
    views: [shown],
  });
  const plan = (schemas?: string[]) => planTypes(snap, specFor('/work/app', { types: schemas ? { schemas } : {} })).content;

  it('derives view relationships only when the table\'s schema is listed too', () => {
    // public.shown_kids shows app.kids.parent_id, whose key references public.parents.
    expect(plan()).toMatch(/ {6}shown_kids: \{\n[^]*?\n {8}Relationships: \[\n {10}\{\n {12}foreignKeyName: "kids_parent_id_fkey"/);
    expect(plan(['public'])).not.toContain('kids_parent_id_fkey');
    expect(plan(['public'])).toContain('shown_kids');
  });

  it('refuses a schema the migration does not create, naming it and the way out', () => {
    expect(() => plan(['public', 'storage'])).toThrow(UserError);
    expect(() => plan(['public', 'storage'])).toThrow(/types\.schemas lists "storage", which this migration does not create/);
    try {
      plan(['storage']);
    } catch (e) {
      expect((e as UserError).fix).toContain('(app, public)');
      expect((e as UserError).fix).toContain('supabase gen types typescript --schema storage');
    }
  });
});

describe('embedded functions and view rows', () => {
  const odd = table('public', 'My Table', [column('Id', 'integer', { typeName: 'int4', notNull: true })], { constraints: [key('My Table_pkey', 'p', ['Id'])] });
  const user = table('public', 'user', [column('id', 'integer', { typeName: 'int4', notNull: true })]);
  const shown = view('public', 'shown', 'SELECT 1;', [['share', 'public.pct']]);
  const snap = emptySnapshot({
    domains: [{ schema: 'public', name: 'pct', baseType: 'numeric', notNull: true, default: null, collation: null, checks: [], comment: null }],
    tables: [odd, user],
    views: [shown],
    functions: [
      fn('rows_of', [arg('t', 'public."My Table"')], 'SETOF public."My Table"'),
      fn('of_user', [arg('u', 'public."user"')], 'SETOF public."user"'),
      fn('shown_rows', [], 'SETOF public.shown'),
    ],
  });
  const content = planTypes(snap, specFor('/work/app')).content;

  it('names the argument row type as format_type() does: quoted when quote_ident would', () => {
    expect(content).toContain(`from: '"My Table"'\n          to: "My Table"`);
    expect(content).toContain(`from: '"user"'\n          to: "user"`);
  });

  it('keeps a NOT NULL domain column of a view non-null in a function\'s rows too', () => {
    expect(content).toMatch(/ {6}shown_rows: \{\n {8}Args: Record<PropertyKey, never>\n {8}Returns: \{\n {10}share: number\n/);
  });
});

describe('shapes the real schemas found (../shared/fixtures/real-schemas)', () => {
  const packages = table('app', 'packages', [column('id', 'integer', { typeName: 'int4', notNull: true })]);
  const xml = view('public', 'xml', 'SELECT 1;', [['id', 'integer']]);
  const shown = view('public', 'packages', 'SELECT 1;', [['id', 'integer']]);
  const structure = view('public', 'structure', 'SELECT 1;', [
    ['data type', 'information_schema.character_data'],
    ['nullable', 'information_schema.yes_or_no'],
  ]);
  const semver = { schema: 'public', name: 'semver', attributes: [{ name: 'major', type: 'integer', collation: null }], comment: null };
  const snap = emptySnapshot({
    schemas: [{ name: 'app', owner: 'postgres', comment: null }, { name: 'تست', owner: 'postgres', comment: null }],
    composites: [semver],
    tables: [packages, table('تست', 'موارد', [column('هویت', 'integer', { typeName: 'int4', notNull: true })])],
    views: [xml, shown, structure],
    functions: [
      fn('is_valid', [arg('', 'public.semver')], 'boolean'),
      fn('metrics', [arg('', 'public.packages')], 'integer'),
      fn('unnamed_xml', [arg('', 'xml')], 'xml'),
    ],
  });
  const content = planTypes(snap, specFor('/work/app', { types: { schemas: ['app', 'public', 'تست'] } })).content;

  it('leaves keys unquoted when they are identifiers of any script (postgrest)', () => {
    expect(content).toContain('\n  تست: {\n');
    expect(content).toContain('          هویت: number\n');
  });

  it('reads information_schema domains of a view column as their base types (apflora)', () => {
    expect(content).toContain('          "data type": string | null\n');
    expect(content).toContain('          nullable: string | null\n');
  });

  it('lists a function of one unnamed composite argument with the error PostgREST gives (dbdev)', () => {
    expect(content).toContain('      is_valid: {\n        Args: { "": Database["public"]["CompositeTypes"]["semver"] }\n        Returns: {\n          error: true');
  });

  it('resolves a row type in its own schema first, whatever the relation kind (dbdev), and not by name alone (postgrest)', () => {
    expect(content).toContain('Args: { "": Database["public"]["Views"]["packages"]["Row"] }');
    expect(content).not.toContain('unnamed_xml');
  });
});
