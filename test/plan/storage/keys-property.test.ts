import { isValidObjectKey, objectKeyFor } from '../../../src/plan/storage';
import { uniqueKeys } from '../../../src/plan/storage/keys';

/** The real server's rule (supabase/storage, isValidKey): non-empty, these characters only. */
const SERVER_RULE = /^[A-Za-z0-9_/!.*'() &$@=;:+,?-]+$/;

/** A small seeded generator (mulberry32), so a failure names a seed that reproduces it. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AWKWARD = [
  '?',
  '#',
  '%',
  '+',
  '~',
  '\\',
  '\u0000',
  '\u0007',
  '\t',
  '\n',
  '\u007f',
  ' ',
  '.',
  '..',
  "'",
  '&',
  '=',
  'é',
  'e\u0301',
  'ß',
  '日',
  '😀',
  '\u200b',
  '\ufeff',
  '/',
];

function randomName(next: () => number): string {
  const length = next() < 0.05 ? 1024 : 1 + Math.floor(next() * 24);
  let out = '';
  while (Buffer.byteLength(out) < length) {
    const r = next();
    if (r < 0.4) out += AWKWARD[Math.floor(next() * AWKWARD.length)];
    else if (r < 0.7) out += String.fromCharCode(97 + Math.floor(next() * 26));
    else if (r < 0.95) out += String.fromCodePoint(0x20 + Math.floor(next() * 0x2fff));
    else out += String.fromCodePoint(0x1f300 + Math.floor(next() * 0x200));
  }
  return out;
}

describe('object keys: property over random names', () => {
  const SEEDS = [1, 2, 3, 42, 20261205];
  it.each(SEEDS)('seed %i: every key passes the server rule and no two files share one', (seed) => {
    const next = prng(seed);
    const names = new Set<string>();
    while (names.size < 600) {
      const name = randomName(next);
      names.add(name);
      // The same name in the other normal form: a different file on Linux, equal to a person.
      names.add(name.normalize(next() < 0.5 ? 'NFD' : 'NFC'));
      if (next() < 0.1) names.add(`${name}.pdf`);
    }
    const entries = [...names]
      .filter((n) => n.split('/').some((s) => s !== ''))
      .map((original) => ({ original, key: objectKeyFor(`u1/${original}`), source: `files/u1/${original}` }));
    const keyed = uniqueKeys(entries);
    expect(keyed).toHaveLength(entries.length);
    for (const e of keyed) {
      expect(SERVER_RULE.test(e.key)).toBe(true);
      expect(isValidObjectKey(e.key)).toBe(true);
      expect(Buffer.byteLength(e.key)).toBeLessThanOrEqual(1024);
      expect(e.key.split('/').every((s) => s.length > 0 && s.length <= 255)).toBe(true);
    }
    expect(new Set(keyed.map((e) => e.key)).size).toBe(keyed.length);
    // Deterministic: the same names in another order get the same keys.
    expect(uniqueKeys([...entries].reverse())).toEqual(keyed);
  });

  it('names that fold to one key stay apart with an allowed suffix', () => {
    const entries = ['résumé.pdf', 'resume.pdf', 're\u0301sume\u0301.pdf', 'faq?.txt', 'faq.txt'].map((n) => ({
      original: n,
      key: objectKeyFor(`uid/${n}`),
      source: `d/uid/${n}`,
    }));
    const keys = uniqueKeys(entries).map((e) => e.key);
    expect(new Set(keys).size).toBe(5);
    expect(keys.every((k) => SERVER_RULE.test(k))).toBe(true);
    expect(keys).toContain('uid/resume.pdf');
    expect(keys).toContain('uid/faq?.txt');
  });
});
