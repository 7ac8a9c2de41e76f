import { join } from 'path';
import { loadSpec } from '../../src/spec';

const SPEC = join(__dirname, '../../migrations.example/toolboxai/migration.yaml');

describe('toolboxai migration.yaml', () => {
  it('loads with embedded databases when no URLs are set', () => {
    const spec = loadSpec(SPEC, {});
    expect(spec.name).toBe('toolboxai');
    expect(spec.source.url).toBe('pglite://memory/toolboxai-source');
    expect(spec.target.url).toBe('pglite://memory/toolboxai-target');
    expect(spec.schema.includeSchemas).toEqual(['public', 'analytics']);
    expect(spec.schema.typeMappings).toEqual({ serialToIdentity: false, jsonToJsonb: false });
    expect(spec.data.batchSize).toBe(1000);
    expect(spec.data.parallel).toBe(2);
  });

  it('takes the databases from the environment when set', () => {
    const spec = loadSpec(SPEC, {
      SOURCE_DATABASE_URL: 'postgresql://app@db.internal:5432/toolboxai',
      SUPABASE_DB_URL: 'postgresql://postgres@db.example.supabase.co:5432/postgres',
    });
    expect(spec.source.url).toBe('postgresql://app@db.internal:5432/toolboxai');
    expect(spec.target.url).toBe('postgresql://postgres@db.example.supabase.co:5432/postgres');
  });
});
