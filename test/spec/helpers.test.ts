import { closestWord } from '../../src/yaml/closest';
import { hidePassword } from '../../src/spec/describe-value';
import { interpolate } from '../../src/spec/interpolate';

describe('interpolate', () => {
  test.each([
    ['${A}', { A: 'x' }, 'x'],
    ['a${A}b${B}c', { A: '1', B: '2' }, 'a1b2c'],
    ['${A:-fallback}', {}, 'fallback'],
    ['${A:-fallback}', { A: '' }, 'fallback'],
    ['${A:-}', {}, ''],
    ['${A:-x:y}', {}, 'x:y'],
    ['$${A}', { A: 'x' }, '${A}'],
    ['cost $5', {}, 'cost $5'],
    ['${A}', { A: '' }, ''],
  ])('%s with %j gives %s', (text, env, expected) => {
    expect(interpolate(text, env)).toMatchObject({ value: expected });
  });

  test('lists the variables it used', () => {
    expect(interpolate('${A}/${B:-b}', { A: 'a' })).toEqual({ value: 'a/b', variables: ['A', 'B'] });
  });

  test.each([
    ['${MISSING}', 'environment variable MISSING is not set'],
    ['${OPEN', 'without a closing }'],
    ['${}', 'not a valid variable reference'],
    ['${9LIVES}', 'not a valid variable reference'],
    ['${A-B}', 'not a valid variable reference'],
  ])('%s is refused: %s', (text, message) => {
    const result = interpolate(text, {});
    expect(result).toHaveProperty('problems');
    expect(JSON.stringify(result)).toContain(message);
  });
});

describe('closestWord', () => {
  const keys = ['batch_size', 'enable_realtime', 'enable_vector_migration', 'timeout'];
  test.each([
    ['batchSize', 'batch_size'],
    ['batch-size', 'batch_size'],
    ['timout', 'timeout'],
    ['enable_realtme', 'enable_realtime'],
    ['colour', undefined],
  ])('%s -> %s', (word, expected) => {
    expect(closestWord(word, keys)).toBe(expected);
  });
});

describe('hidePassword', () => {
  test.each([
    ['postgresql://u:secret@h:5432/db', 'postgresql://u:***@h:5432/db'],
    ['postgresql://u:se@cret@h/db', 'postgresql://u:***@h/db'],
    ['postgresql://u:se/cret@h/db', 'postgresql://u:***@h/db'],
    ['postgresql://u@h/db', 'postgresql://u@h/db'],
    ['pglite://memory', 'pglite://memory'],
  ])('%s -> %s', (url, expected) => {
    expect(hidePassword(url)).toBe(expected);
  });
});
