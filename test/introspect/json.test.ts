import { UserError } from '../../src/errors';
import { snapshotFromJson, snapshotToJson, type Snapshot } from '../../src/introspect';
import { emptySnapshot } from '../helpers/snapshot';

const empty = (): Snapshot => emptySnapshot();

describe('snapshot JSON', () => {
  it('writes two-space JSON with a trailing newline and reads it back', () => {
    const text = snapshotToJson(empty());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "formatVersion": 1,');
    expect(snapshotFromJson(text)).toEqual(empty());
  });

  it.each([
    ['not JSON', '{"formatVersion": 1,', /not valid JSON/],
    ['an array', '[]', /expected a JSON object/],
    ['another format', JSON.stringify({ ...empty(), formatVersion: 99 }), /formatVersion is 99/],
    ['no format', JSON.stringify({ ...empty(), formatVersion: undefined }), /formatVersion is undefined/],
    ['a missing list', JSON.stringify({ ...empty(), tables: undefined, roles: {} }), /tables, roles must be arrays/],
    ['a text server version', JSON.stringify({ ...empty(), serverVersion: '15' }), /serverVersion must be a number/],
  ])('refuses %s with a UserError that names the file', (_what, text, message) => {
    let caught: unknown;
    try {
      snapshotFromJson(text, '.supamigrate/snapshot.json');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).message).toMatch(/^\.supamigrate\/snapshot\.json: /);
    expect((caught as UserError).message).toMatch(message);
    expect((caught as UserError).fix).toBeTruthy();
  });
});
