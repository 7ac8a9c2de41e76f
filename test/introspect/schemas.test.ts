import { PLATFORM_SCHEMAS, schemaSelected } from '../../src/introspect';
import { isPlatformRole } from '../../src/introspect/roles';
import { routineArgs } from '../../src/introspect/routines';
import { sortByKeys } from '../../src/introspect/catalog';

describe('schema selection', () => {
  it('takes application schemas and leaves platform ones out by default', () => {
    const chosen = ['public', 'app', 'auth', 'storage', 'extensions', 'pg_toast', 'pg_temp_3', 'pg_toast_temp_3', 'supamigrate', 'cron']
      .filter((n) => schemaSelected(n));
    expect(chosen).toEqual(['public', 'app']);
    expect(PLATFORM_SCHEMAS.every((n) => !schemaSelected(n))).toBe(true);
  });

  it('restricts to includeSchemas and removes excludeSchemas', () => {
    expect(schemaSelected('auth', { includeSchemas: ['auth'] })).toBe(true);
    expect(schemaSelected('public', { includeSchemas: ['auth'] })).toBe(false);
    expect(schemaSelected('public', { includeSchemas: null })).toBe(true);
    expect(schemaSelected('app', { includeSchemas: ['app'], excludeSchemas: ['app'] })).toBe(false);
    expect(schemaSelected('public', { excludeSchemas: ['public'] })).toBe(false);
  });
});

describe('platform roles', () => {
  it.each([['postgres', true], ['pg_read_all_data', true], ['supabase_admin', true], ['anon', true], ['app_reader', false], ['postgres_app', false]])(
    '%s -> %s',
    (name, expected) => expect(isPlatformRole(name)).toBe(expected),
  );
});

describe('routine arguments', () => {
  it('gives defaults to the last input arguments, skipping output ones', () => {
    const args = routineArgs({
      arg_names: ['a', 'b', 'c', 'total'],
      arg_types: ['integer', 'text', 'boolean', 'numeric'],
      arg_modes: ['i', 'i', 'b', 'o'],
      defaults: 2,
    });
    expect(args.map((a) => [a.name, a.mode, a.hasDefault])).toEqual([
      ['a', 'i', false], ['b', 'i', true], ['c', 'b', true], ['total', 'o', false],
    ]);
  });

  it('treats missing modes and names as unnamed inputs', () => {
    expect(routineArgs({ arg_names: null, arg_types: ['integer'], arg_modes: null, defaults: 0 }))
      .toEqual([{ name: '', type: 'integer', mode: 'i', hasDefault: false }]);
  });
});

describe('sorting', () => {
  it('orders by code point on every key, not by locale', () => {
    const items = [['b', 'a'], ['a', 'z'], ['B', 'x'], ['a', 'Z'], ['a', 'ä']];
    expect(sortByKeys(items, (x) => x)).toEqual([['B', 'x'], ['a', 'Z'], ['a', 'z'], ['a', 'ä'], ['b', 'a']]);
  });
});
