import { parse } from 'yaml';
import { analyze } from '../../src/analyze';
import { UserError } from '../../src/errors';
import { renderInitSpec } from '../../src/init';
import { parseSpec } from '../../src/spec';
import type { Snapshot } from '../../src/introspect/snapshot';
import { column, id, snapshot, table } from '../analyze/builder';
import { elearning } from '../analyze/fixtures';

const OPTS = { name: 'school_app', sourceUrlExpr: '${SOURCE_DATABASE_URL}', targetUrlExpr: '${TARGET_DATABASE_URL}' };
const render = (s: Snapshot, opts = OPTS) => renderInitSpec(s, analyze(s), opts);

/** The commented-out proposal block, uncommented, so it can be checked as YAML too. */
function proposals(text: string): string {
  const start = text.indexOf('# Storage proposal');
  return text.slice(start).split('\n').slice(1).map((l) => l.replace(/^# ?/, '')).join('\n');
}

describe('renderInitSpec', () => {
  it('parses as YAML with only the live keys', () => {
    const doc = parse(render(elearning()));
    expect(doc).toEqual({
      version: 1,
      name: 'school_app',
      source: { url: '${SOURCE_DATABASE_URL}' },
      target: { url: '${TARGET_DATABASE_URL}' },
      schema: { include_schemas: ['public'], type_mappings: { serial: 'keep', json: 'keep' } },
      data: { batch_size: 1000, parallel: 2 },
      // Integer user ids cannot hold auth.uid(): only the tenant and publish-flag proposals are live.
      security: {
        'public.courses': [{ tenant: { column: 'school_id' }, operations: ['select'] }, { public_read: { filter: 'is_published' } }],
        'public.documents': [{ tenant: { column: 'school_id' }, operations: ['select'] }],
        'public.schools': [{ tenant: { column: 'id' }, operations: ['select'] }],
        'public.users': [{ tenant: { column: 'school_id' }, operations: ['select'] }],
      },
      // The detected embedding column is proposed live: vectors are supported.
      vectors: {
        dimensions: 1536,
        columns: { 'public.documents.embedding': { dimensions: 1536, distance: 'cosine', index: { hnsw: { m: 16, ef_construction: 64 } }, on_wrong_length: 'fail' } },
      },
    });
  });

  it('measures dimensions from the sampled arrays, leaving out empty ones (not computed yet)', () => {
    const sampled = (lengths: number[]): Snapshot => ({
      ...elearning(),
      arrayLengths: [{ column: 'public.documents.embedding', lengths }],
    });
    expect(parse(render(sampled([0, 768]))).vectors.columns['public.documents.embedding'].dimensions).toBe(768);
    // Every sampled value empty: the dimensions are unknown, so the conversion is only proposed.
    const text = render(sampled([0]));
    expect(parse(text).vectors).toBeUndefined();
    expect(text).toContain('# public.documents.embedding: every sampled value is an empty array');
    const lines = text.slice(text.indexOf('# vectors:')).split('\n');
    const block = lines.slice(0, lines.findIndex((l) => !l.startsWith('# ')));
    const uncommented = block
      .map((l) => l.replace(/^# /, ''))
      // the explanations stay out; what is left is the proposal itself
      .filter((l) => !/^\s*# (Each|the index|needs|unknown|\S+: every)/.test(l))
      .map((l) => l.replace(/^(\s*)# /, '$1'))
      .join('\n');
    expect(parse(uncommented).vectors.columns['public.documents.embedding'].dimensions).toBe(1536);
  });

  it('is accepted by the spec loader', () => {
    const env = { SOURCE_DATABASE_URL: 'postgresql://u@127.0.0.1/src', TARGET_DATABASE_URL: 'postgresql://u@127.0.0.1/dst' };
    const spec = parseSpec(render(elearning()), '/project/migration.yaml', env);
    expect(spec.schema.includeSchemas).toEqual(['public']);
    expect(spec.schema.typeMappings).toEqual({ serialToIdentity: false, jsonToJsonb: false });
    expect(spec.data).toMatchObject({ batchSize: 1000, parallel: 2 });
    expect(Object.keys(spec.vectors.columns)).toEqual(['public.documents.embedding']);
  });

  it('explains the detected patterns and risks in comments', () => {
    const text = render(elearning());
    expect(text).toContain('# tenant column school_id found in 3 tables (school_id -> public.schools) [high]: security patterns will use it\n');
    expect(text).toContain('# owner columns, candidates for "own rows" policies:\n#   public.courses.author_id [high]: author_id -> public.users\n#   public.enrollments.user_id [high]: ');
    expect(text).toContain('# enum public.enrollments (role) [high]: enum public.enrollment_role (2 values: student, teacher)\n');
    expect(text).toContain('    # json columns: public.documents.metadata. "jsonb" converts them');
    expect(text).toContain('# [medium] public-users-table public.users: ');
    expect(text).not.toContain('serial columns');
  });

  it('writes the storage proposal as commented YAML that parses once uncommented', () => {
    expect(render(elearning())).not.toContain('until these sections are supported');
    expect(parse(proposals(render(elearning())))).toEqual({
      storage: {
        buckets: [
          { name: 'schools-logo-url', sources: [{ column: 'public.schools.logo_url', base_dir: 'uploads', rewrite: true }] },
          { name: 'users-avatar-path', sources: [{ column: 'public.users.avatar_path', base_dir: 'uploads', rewrite: true }] },
        ],
      },
    });
  });

  it('renders a plain database exactly, with the serial alternative explained', () => {
    const s = snapshot({
      tables: [table('public.items', [column('id', 'int4', { notNull: true, default: "nextval('public.items_id_seq'::regclass)" }), column('label', 'text')])],
      sequences: [{ schema: 'public', name: 'items_id_seq', dataType: 'integer', start: '1', increment: '1', min: '1', max: '2147483647', cache: '1', cycle: false, ownedBy: 'public.items.id', comment: null }],
    });
    expect(render(s, { ...OPTS, name: 'shop' })).toBe(`# migration.yaml for shop, written by \`supamigrate init\`.
# Source: 1 table in 1 schema; complexity 1 point (simple).
# Review the comments below, then run \`supamigrate plan\`.
version: 1
name: "shop"

source:
  url: "\${SOURCE_DATABASE_URL}"
target:
  url: "\${TARGET_DATABASE_URL}"

schema:
  include_schemas:
    - "public"
  type_mappings:
    # serial columns: public.items.id. "identity" re-creates them as GENERATED BY DEFAULT AS IDENTITY.
    serial: keep
    json: keep

data:
  batch_size: 1000
  parallel: 2

# Who may reach which rows through the API, proposed from the source. Every table in public gets
# row level security and explicit grants; a table not listed below keeps the source's policies when the
# source had RLS on it, and is otherwise reachable by service_role only.
# The proposals open reads only: add insert, update, delete to \`operations\` where users should write.
# Nothing was detected to propose (no users table, tenant, owner, membership, publish flag or grants).

# Risks to decide on:
# [low] serial-column public.items.id: serial columns depend on a separately owned sequence and its grants
#     fix: set schema.type_mappings.serial: identity to re-create it as GENERATED BY DEFAULT AS IDENTITY
`);
  });

  it('refuses a literal password and an invalid project name', () => {
    const s = snapshot({ tables: [table('public.t', [id()])] });
    expect(() => render(s, { ...OPTS, sourceUrlExpr: 'postgresql://app:s3cret@db.example.com/app' })).toThrow(UserError);
    expect(() => render(s, { ...OPTS, name: 'My App' })).toThrow(/project name/);
    expect(render(s, { ...OPTS, sourceUrlExpr: 'postgresql://app@db.example.com/app' })).toContain('url: "postgresql://app@db.example.com/app"');
  });

  it('quotes hostile schema names so the YAML still parses', () => {
    const s = snapshot({ tables: [table('weird: "x" #1.t', [id()])] });
    expect(parse(render(s)).schema.include_schemas).toEqual(['weird: "x" #1']);
  });
});
