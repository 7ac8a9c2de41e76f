import { createHash } from 'node:crypto';

/**
 * Supabase Storage accepts object names made of these characters only; anything else (any
 * non-ASCII letter) is refused with "Invalid key".
 */
export const OBJECT_KEY_CHARS = "A-Za-z0-9_/!.*'() &$=@;:+,?-";
const VALID_KEY = new RegExp(`^[${OBJECT_KEY_CHARS}]+$`);
const INVALID_RUN = new RegExp(`[^${OBJECT_KEY_CHARS}]+`, 'g');

export function isValidObjectKey(key: string): boolean {
  return VALID_KEY.test(key) && !key.startsWith('/') && !key.split('/').some((s) => s === '' || s === '.' || s === '..');
}

// Letters that Unicode does not decompose into a base letter and a mark.
const SPELLED: Record<string, string> = {
  ß: 'ss', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', œ: 'oe', Œ: 'OE', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', þ: 'th', Þ: 'TH', ð: 'd', Ð: 'D', ı: 'i',
  '\u2018': "'", '\u2019': "'", '\u201c': "'", '\u201d': "'", '\u2013': '-', '\u2014': '-', '\u00a0': ' ',
};

export const shortHash = (text: string, length = 8): string => createHash('sha256').update(text).digest('hex').slice(0, length);

/**
 * One path segment as a valid key segment: accents dropped (café -> cafe), a few letters spelled
 * out (ß -> ss), and any other run of refused characters replaced by `_`. A segment that lost
 * characters that way gets a hash of its original text, so 日本語.pdf and 中文.pdf stay apart.
 */
export function keySegment(segment: string): string {
  const nfc = segment.normalize('NFC');
  const spelled = [...nfc].map((ch) => SPELLED[ch] ?? ch).join('');
  const stripped = spelled.normalize('NFD').replace(/\p{M}+/gu, '');
  const replaced = stripped.replace(INVALID_RUN, '_');
  const lossy = replaced !== stripped;
  let out = lossy ? withSuffix(replaced, `-${shortHash(nfc)}`) : replaced;
  if (out === '.' || out === '..') out = `_${out}`;
  return out;
}

/** `a/b/c` -> the key for it; empty segments are dropped. */
export function objectKeyFor(path: string): string {
  return path.split('/').filter((s) => s !== '').map(keySegment).join('/');
}

/** Inserts text before the extension of the last segment: `a/b.pdf` + `~1f` -> `a/b~1f.pdf`. */
export function withSuffix(key: string, suffix: string): string {
  const slash = key.lastIndexOf('/');
  const dot = key.lastIndexOf('.');
  if (dot > slash + 1) return `${key.slice(0, dot)}${suffix}${key.slice(dot)}`;
  return `${key}${suffix}`;
}

/**
 * Makes mapped keys unique. `entries` share a bucket; when several map to one key, the one whose
 * key is its own name unchanged (else the first by source) keeps it and the others get a short
 * hash of their source path. Deterministic: the outcome depends only on the entries, not their order.
 */
export function uniqueKeys<T extends { key: string; original: string; source: string }>(entries: T[]): T[] {
  const sorted = [...entries].sort((a, b) => cmp(a.key, b.key) || Number(a.key !== a.original) - Number(b.key !== b.original) || cmp(a.source, b.source));
  const taken = new Set<string>();
  const out: T[] = [];
  for (const e of sorted) {
    let key = e.key;
    for (let length = 8; taken.has(key); length += 4) key = withSuffix(e.key, `~${shortHash(e.source, length)}`);
    taken.add(key);
    out.push(key === e.key ? e : { ...e, key });
  }
  return out.sort((a, b) => cmp(a.key, b.key));
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
