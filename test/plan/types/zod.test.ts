import { planTypeFiles } from '../../../src/plan/types/index';
import { planZod } from '../../../src/plan/types/zod';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { specFor } from '../../helpers/spec';

const check = (name: string, col: string, definition: string) =>
  ({ name, kind: 'c' as const, definition, columns: [col], refTable: null, refColumns: [], validated: true, deferrable: false, comment: null });

const snap = emptySnapshot({
  enums: [{ schema: 'public', name: 'level', values: ['low', 'say "hi"'], comment: null }],
  domains: [{ schema: 'public', name: 'pct', baseType: 'numeric(5,2)', notNull: true, default: '0', collation: null, checks: [{ name: 'pct_check', definition: "CHECK ((VALUE >= (0)::numeric))" }], comment: null }],
  tables: [table('public', 't', [
    column('id', 'integer', { typeName: 'int4', notNull: true, identity: 'a' }),
    column('ref', 'bigint', { typeName: 'int8', notNull: true, identity: 'd' }),
    column('name', 'character varying(3)', { typeName: 'varchar', notNull: true }),
    column('n', 'smallint', { typeName: 'int2', notNull: true, default: '1' }),
    column('price', 'numeric(6,2)', { typeName: 'numeric' }),
    column('lvl', 'public.level', { typeSchema: 'public', typeName: 'level' }),
    column('share', 'public.pct', { typeSchema: 'public', typeName: 'pct' }),
    column('tags', 'text[]', { typeName: 'text', isArray: true }),
    column('doc', 'jsonb', { typeName: 'jsonb', notNull: true }),
    column('slug', 'text', { generated: 'lower(name)' }),
  ], { constraints: [check('t_price_check', 'price', 'CHECK ((price > 0.5))')] })],
});
const zodSpec = { ...specFor('/app'), types: { validation: 'zod' as const } };

describe('planZod', () => {
  it('writes nothing unless the spec asks for zod', () => {
    expect(planZod(snap, specFor('/app'))).toBeNull();
    expect(planZod(snap, { ...specFor('/app'), types: { validation: 'jsonschema' } })).toBeNull();
  });

  it('writes one strict object per table and payload kind, columns sorted', () => {
    const content = (planZod(snap, zodSpec) as { content: string }).content;
    expect(content).toContain('import { z } from "zod"');
    expect(content).toContain(`export const Schemas = {
  public: {
    t: {
      Insert: z.strictObject({
        doc: json().refine((v) => v !== null),
        lvl: z.enum(["low", 'say "hi"']).nullable().optional(),
        n: int2().optional(),
        name: varchar(3),
        price: numeric(6, 2).refine((v) => roundTo(v, 2) > 0.5).nullable().optional(),
        ref: int8().optional(),
        share: numeric(5, 2).refine((v) => roundTo(v, 2) >= 0).optional(),
        tags: z.array(text().nullable()).nullable().optional(),
      }),
      Update: z.strictObject({
        doc: json().refine((v) => v !== null).optional(),`);
    // Identity ALWAYS and generated columns cannot be written: the strict object has no key for them.
    expect(content).not.toMatch(/^\s+(id|slug):/m);
  });

  it('goes to database.schemas.ts or validation_output, next to the types, the same bytes each time', () => {
    const files = planTypeFiles(snap, zodSpec);
    expect(files.map((f) => f.path)).toEqual(['supabase/types/database.types.ts', 'supabase/types/database.schemas.ts']);
    expect(planZod(snap, { ...zodSpec, types: { validation: 'zod', validationOutput: 'web/s.ts' } })?.path).toBe('web/s.ts');
    expect(planTypeFiles(snap, zodSpec)).toEqual(files);
  });
});
