import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { UserError } from '../../src/errors';
import { loadSpec, parseSpec, SpecError, SPEC_SCHEMA_FILE } from '../../src/spec';
import type { Spec } from '../../src/spec';

const file = '/project/migration.yaml';

const fullYaml = `
version: 1
name: elearning
source:
  url: postgresql://app:pw@db.internal:5432/learn
target:
  url: pglite://memory
  supabase_url: https://abc.supabase.co
  anon_key: anon-key
  service_role_key: service-key
schema:
  include_schemas: [public, billing]
  exclude_schemas: [scratch]
  include_tables: [public.*, billing.invoices]
  exclude_tables: [public.tmp_*]
  rename_schemas: { billing: finance }
  type_mappings: { serial: identity, json: jsonb }
output:
  supabase_dir: db/supabase
  state_dir: db/.state
options:
  batch_size: 500
  timeout: 120
  enable_vector_migration: false
  enable_realtime: true
data:
  enabled: true
  parallel: 4
  checkpoint_interval: 10
  mode: copy
  tables:
    public.users:
      where: deleted_at is null
      mode: insert
      rename: { fullname: full_name }
      drop: [legacy_hash]
      cast: { age: smallint }
    public.audit_log: { skip: true }
security:
  acknowledge_anon_writes: [public.feedback]
  views:
    public.report: { rights: owner, open: [authenticated, anon] }
    public.daily: { open: [authenticated] }
vectors: { columns: {} }
functions: { endpoints: [] }
storage: { buckets: [] }
types: { output: types/database.types.ts }
realtime:
  tables: [public.messages]
online:
  write_stop: revoke
  app_role: app_writer
  session_wait_seconds: 30
  max_retained_wal: 512MB
`;

const fullSpec: Spec = {
  version: 1,
  name: 'elearning',
  file,
  dir: '/project',
  source: { url: 'postgresql://app:pw@db.internal:5432/learn' },
  target: { url: 'pglite://memory', supabaseUrl: 'https://abc.supabase.co', anonKey: 'anon-key', serviceRoleKey: 'service-key', existingObjects: { default: 'stop', objects: {} } },
  schema: {
    includeSchemas: ['public', 'billing'],
    excludeSchemas: ['scratch'],
    includeTables: ['public.*', 'billing.invoices'],
    excludeTables: ['public.tmp_*'],
    renameSchemas: { billing: 'finance' },
    typeMappings: { serialToIdentity: true, jsonToJsonb: true },
  },
  output: { supabaseDir: 'db/supabase', stateDir: 'db/.state' },
  options: { timeoutSeconds: 120, enableVectorMigration: false, enableRealtime: true },
  data: {
    enabled: true,
    batchSize: 500,
    chunkRows: 5000,
    parallel: 4,
    checkpointInterval: 10,
    mode: 'copy',
    tables: {
      'public.audit_log': { skip: true, where: null, mode: null, rename: {}, drop: [], cast: {} },
      'public.users': { skip: false, where: 'deleted_at is null', mode: 'insert', rename: { fullname: 'full_name' }, drop: ['legacy_hash'], cast: { age: 'smallint' } },
    },
  },
  security: {
    acknowledgeAnonWrites: ['public.feedback'],
    views: { 'public.daily': { open: ['authenticated'] }, 'public.report': { rights: 'owner', open: ['anon', 'authenticated'] } },
  },
  vectors: { dimensions: 1536, columns: {} },
  functions: { endpoints: [] },
  storage: { buckets: [] },
  types: { output: 'types/database.types.ts' },
  realtime: { tables: ['public.messages'] },
  evolution: { allowDestructive: [], renames: { tables: {}, columns: {} } },
  performance: { threshold: 1.5, floorMs: 2, runs: 5, warmup: 2, statementTimeoutMs: 10000, topStatements: 10, dataApi: true, queries: [] },
  online: { writeStop: 'revoke', appRole: 'app_writer', sessionWaitSeconds: 30, maxRetainedWalBytes: 512 * 1024 ** 2 },
};

const minimal = 'version: 1\nname: shop\n';

describe('parseSpec', () => {
  test('maps a full spec onto the camelCase Spec', () => {
    expect(parseSpec(fullYaml, file, {})).toEqual(fullSpec);
  });

  test('fills every default for a minimal spec', () => {
    const spec = parseSpec(minimal, file, {});
    expect(spec).toEqual({
      ...fullSpec,
      name: 'shop',
      source: { url: null },
      target: { url: null, supabaseUrl: null, anonKey: null, serviceRoleKey: null, existingObjects: { default: 'stop', objects: {} } },
      schema: { includeSchemas: null, excludeSchemas: [], includeTables: null, excludeTables: [], renameSchemas: {}, typeMappings: { serialToIdentity: false, jsonToJsonb: false } },
      output: { supabaseDir: 'supabase', stateDir: '.supamigrate' },
      options: { timeoutSeconds: 3600, enableVectorMigration: true, enableRealtime: false },
      data: { enabled: true, batchSize: 1000, chunkRows: 100000, parallel: 2, checkpointInterval: 100, mode: 'auto', tables: {} },
      security: {},
      vectors: { dimensions: 1536, columns: {} },
      functions: {},
      storage: {},
      types: {},
      realtime: { tables: [] },
      online: { writeStop: 'read-only', appRole: null, sessionWaitSeconds: 10, maxRetainedWalBytes: 1024 ** 3 },
    });
  });

  test('data.batch_size follows options.batch_size unless set', () => {
    expect(parseSpec(`${minimal}options: { batch_size: 250 }\n`, file, {}).data.batchSize).toBe(250);
    expect(parseSpec(`${minimal}options: { batch_size: 250 }\ndata: { batch_size: 40 }\n`, file, {}).data.batchSize).toBe(40);
  });

  test('data.chunk_rows names the chunk; batch_size x checkpoint_interval stays its alias', () => {
    expect(parseSpec(`${minimal}data: { batch_size: 40, checkpoint_interval: 3 }\n`, file, {}).data.chunkRows).toBe(120);
    expect(parseSpec(`${minimal}data: { chunk_rows: 5000, batch_size: 40 }\n`, file, {}).data.chunkRows).toBe(5000);
    expect(parseSpec(minimal, file, {}).data.chunkRows).toBe(100000);
  });

  test('treats a section whose keys are all commented out as absent', () => {
    const spec = parseSpec(`${minimal}options:\n  # batch_size: 10\ndata:\n`, file, {});
    expect(spec.data.batchSize).toBe(1000);
    expect(spec.data.parallel).toBe(2);
  });

  test('seed variables fill keys the file leaves out', () => {
    const env = {
      SOURCE_DATABASE_URL: 'postgresql://u:p@src:5432/app',
      SUPABASE_DB_URL: 'pglite://memory',
      SUPABASE_URL: 'http://127.0.0.1:54321',
      SUPABASE_ANON_KEY: 'anon',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
      MIGRATION_BATCH_SIZE: '250',
      MIGRATION_TIMEOUT: '90',
      ENABLE_VECTOR_MIGRATION: 'false',
      ENABLE_REALTIME: 'true',
    };
    const spec = parseSpec(minimal, file, env);
    expect(spec.source).toEqual({ url: env.SOURCE_DATABASE_URL });
    expect(spec.target).toEqual({ url: 'pglite://memory', supabaseUrl: env.SUPABASE_URL, anonKey: 'anon', serviceRoleKey: 'service', existingObjects: { default: 'stop', objects: {} } });
    // The switches that change the plan are read from the spec only.
    expect(spec.options).toEqual({ timeoutSeconds: 90, enableVectorMigration: true, enableRealtime: false });
    expect(spec.data.batchSize).toBe(250);
  });

  test('the file wins over seed variables', () => {
    const spec = parseSpec(`${minimal}options: { batch_size: 7 }\nsource: { url: "pglite://memory" }\n`, file, { MIGRATION_BATCH_SIZE: '250', SOURCE_DATABASE_URL: 'postgresql://x@y/z' });
    expect(spec.data.batchSize).toBe(7);
    expect(spec.source.url).toBe('pglite://memory');
  });

  test('interpolates ${VAR} and ${VAR:-default}, coercing to the type the schema wants', () => {
    const text = `${minimal}target:\n  url: postgresql://\${DB_USER}:\${DB_PASS}@db:5432/\${DB:-app}\n  anon_key: \${ANON:-anon}\n`;
    const spec = parseSpec(text, file, { DB_USER: 'me', DB_PASS: 'pw' });
    expect(spec.target.url).toBe('postgresql://me:pw@db:5432/app');
    expect(spec.target.anonKey).toBe('anon');
  });

  test('refuses ${VAR} outside connection settings and credentials, naming the place and the fix', () => {
    const text = `${minimal}options:\n  enable_realtime: \${RT:-false}\nsecurity:\n  public.notes:\n    - custom: { using: "t = '\${GITHUB_TOKEN}'" }\n`;
    const err = (() => { try { parseSpec(text, file, { GITHUB_TOKEN: 'ghp_s3cr3t', RT: 'true' }); } catch (e) { return e as SpecError; } throw new Error('accepted'); })();
    expect(err.problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual(['4:20 options.enable_realtime', '7:24 security.public.notes[0].custom.using']);
    expect(err.message).toContain('${GITHUB_TOKEN} is not allowed here');
    expect(err.message).toContain('fix: write the value itself in migration.yaml');
    expect(err.message).not.toContain('ghp_s3cr3t');
  });

  test('offline: URL variables are not read, and the fields they fill are left out', () => {
    const text = `${minimal}source:\n  url: \${SRC}\ntarget:\n  url: \${SUPABASE_DB_URL:-pglite://memory}\n  service_role_key: \${KEY}\n`;
    const read: string[] = [];
    const env = new Proxy({}, { get: (_t, name) => (read.push(String(name)), undefined) }) as NodeJS.ProcessEnv;
    const spec = parseSpec(text, file, env, { connections: 'offline' });
    expect(read).toEqual([]);
    expect(spec.source.url).toBeNull();
    expect(spec.target).toEqual({ url: null, supabaseUrl: null, anonKey: null, serviceRoleKey: null, existingObjects: { default: 'stop', objects: {} } });
    expect(spec.unresolved?.['target.url']).toEqual({ variables: ['SUPABASE_DB_URL'], at: 'migration.yaml:6:8' });
  });

  test('lazy: set URL variables are read, unset ones are recorded for the command that connects', () => {
    const text = `${minimal}source:\n  url: \${SRC}\ntarget:\n  url: \${TGT}\n`;
    const spec = parseSpec(text, file, { TGT: 'pglite://memory' }, { connections: 'lazy' });
    expect(spec.target.url).toBe('pglite://memory');
    expect(spec.source.url).toBeNull();
    expect(spec.unresolved).toEqual({ 'source.url': { variables: ['SRC'], at: 'migration.yaml:4:8' } });
    expect(() => parseSpec(text, file, { TGT: 'pglite://memory' })).toThrow(/SRC is not set/);
  });

  test('$${ writes a literal ${', () => {
    const spec = parseSpec(`${minimal}data:\n  tables:\n    public.t: { where: "note <> '$\${x}'" }\n`, file, {});
    expect(spec.data.tables['public.t'].where).toBe("note <> '${x}'");
  });

  test('returns a deeply frozen object', () => {
    const spec = parseSpec(fullYaml, file, {});
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.data.tables['public.users'].drop)).toBe(true);
    expect(Object.isFrozen(spec.security)).toBe(true);
    expect(() => {
      (spec.options as { timeoutSeconds: number }).timeoutSeconds = 1;
    }).toThrow(TypeError);
  });

  test('reports every problem at once, sorted by position, one line and one fix each', () => {
    const text = 'version: 2\nname: Shop\ndata:\n  parallel: 99\n  mode: turbo\n';
    let error: SpecError | undefined;
    try {
      parseSpec(text, file, {});
    } catch (err) {
      error = err as SpecError;
    }
    expect(error).toBeInstanceOf(UserError);
    expect(error!.problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual(['1:10 version', '2:7 name', '4:13 data.parallel', '5:9 data.mode']);
    const lines = error!.message.split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe('migration.yaml:1:10 version: 2 is not supported; this engine reads version 1');
    expect(lines.filter((l) => l.startsWith('  fix: '))).toHaveLength(4);
  });

  test('names the missing variables of a spec, each where it is used', () => {
    const text = `${minimal}source:\n  url: \${SRC}\ntarget:\n  url: \${DST}\n`;
    expect(() => parseSpec(text, file, {})).toThrow(/migration\.yaml:4:8 source\.url: environment variable SRC is not set\n {2}fix: export SRC=\.\.\..*\n.*migration\.yaml:6:8 target\.url: environment variable DST is not set/);
  });

  test('writes nothing to the console, whether the spec is good or bad', () => {
    const spies = (['log', 'warn', 'error', 'info'] as const).map((method) => jest.spyOn(console, method).mockImplementation(() => undefined));
    try {
      parseSpec(fullYaml, file, {});
      expect(() => parseSpec('version: 1\nname: x\nnope: 1\n', file, {})).toThrow(SpecError);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  test('gives the same answer twice (no hidden state between calls)', () => {
    expect(parseSpec(fullYaml, file, {})).toEqual(parseSpec(fullYaml, file, {}));
    expect(() => parseSpec('version: 1\nname: x\ndata: { parallel: 0 }\n', file, {})).toThrow(SpecError);
    expect(parseSpec(minimal, file, {}).data.parallel).toBe(2);
  });
});

describe('loadSpec', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sm-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('reads the file and records its absolute path and folder', () => {
    writeFileSync(join(dir, 'migration.yaml'), minimal);
    const spec = loadSpec(join(dir, 'migration.yaml'), {});
    expect(spec.file).toBe(join(dir, 'migration.yaml'));
    expect(spec.dir).toBe(dir);
  });

  test('a missing file is a user error that says how to create one', () => {
    const missing = join(dir, 'nope.yaml');
    expect(() => loadSpec(missing, {})).toThrow(UserError);
    expect(() => loadSpec(missing, {})).toThrow(/nope\.yaml does not exist/);
  });

  test('reads the environment of the process by default', () => {
    writeFileSync(join(dir, 'migration.yaml'), `${minimal}target:\n  url: \${SM_SPEC_TEST_PARALLEL}\n`);
    process.env.SM_SPEC_TEST_PARALLEL = 'pglite://memory/five';
    try {
      expect(loadSpec(join(dir, 'migration.yaml')).target.url).toBe('pglite://memory/five');
    } finally {
      delete process.env.SM_SPEC_TEST_PARALLEL;
    }
  });

  test('the schema file it validates against ships with the package', () => {
    expect(SPEC_SCHEMA_FILE).toMatch(/schemas[/\\]migration\.schema\.json$/);
  });
});
