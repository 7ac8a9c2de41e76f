import { isValidObjectKey, objectKeyFor } from '../../../src/plan/storage';
import { keySegment, uniqueKeys, withSuffix } from '../../../src/plan/storage/keys';

describe('object keys', () => {
  it('keeps names that are already valid', () => {
    expect(objectKeyFor('uploads/north/lab report-1.pdf')).toBe('uploads/north/lab report-1.pdf');
    expect(objectKeyFor("a/(x)!*'&$=@;:+,?-_.txt")).toBe("a/(x)!*'&$=@;:+,?-_.txt");
  });

  it('drops accents and spells out letters without one', () => {
    expect(keySegment('café-menü.pdf')).toBe('cafe-menu.pdf');
    expect(keySegment('Übungsblatt 3.pdf')).toBe('Ubungsblatt 3.pdf');
    expect(keySegment('résumé (final).pdf')).toBe('resume (final).pdf');
    expect(keySegment('Straße.txt')).toBe('Strasse.txt');
    // Decomposed input (macOS file names) maps like composed input.
    expect(keySegment('cafe\u0301.pdf')).toBe('cafe.pdf');
  });

  it('replaces other characters and keeps names apart with a hash of the original', () => {
    const a = keySegment('日本語ノート.pdf');
    const b = keySegment('中文笔记.pdf');
    expect(a).toMatch(/^_-[0-9a-f]{8}\.pdf$/);
    expect(b).toMatch(/^_-[0-9a-f]{8}\.pdf$/);
    expect(a).not.toBe(b);
    expect(keySegment('a#b%c.txt')).toMatch(/^a_b_c-[0-9a-f]{8}\.txt$/);
  });

  it('produces only valid keys', () => {
    for (const name of ['日本語/ノート.pdf', 'x/../y', 'émoji 😀.png', 'tab\there', 'a//b', '..']) {
      const key = objectKeyFor(name);
      expect(isValidObjectKey(key)).toBe(true);
    }
    expect(isValidObjectKey('café.pdf')).toBe(false);
    expect(isValidObjectKey('a//b')).toBe(false);
  });

  it('resolves collisions deterministically: the unchanged name keeps its key', () => {
    const entries = [
      { key: 'cafe.pdf', original: 'café.pdf', source: 'd/café.pdf' },
      { key: 'cafe.pdf', original: 'cafe.pdf', source: 'd/cafe.pdf' },
      { key: 'cafe.pdf', original: 'cafè.pdf', source: 'd/cafè.pdf' },
    ];
    const once = uniqueKeys(entries);
    const twice = uniqueKeys([...entries].reverse());
    expect(once).toEqual(twice);
    expect(once.find((e) => e.original === 'cafe.pdf')?.key).toBe('cafe.pdf');
    expect(new Set(once.map((e) => e.key)).size).toBe(3);
    expect(once.filter((e) => e.key !== 'cafe.pdf').every((e) => /^cafe_[0-9a-f]{8}\.pdf$/.test(e.key))).toBe(true);
    expect(withSuffix('a.b/c', '_1')).toBe('a.b/c_1');
  });
});
