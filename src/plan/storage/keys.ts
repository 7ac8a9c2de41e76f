import { createHash } from 'node:crypto';

/**
 * Supabase Storage accepts object names made of these characters only; anything else (any
 * non-ASCII letter) is refused with "Invalid key".
 */
export const OBJECT_KEY_CHARS = "A-Za-z0-9_/!.*'() &$=@;:+,?-";
const VALID_KEY = new RegExp(`^[${OBJECT_KEY_CHARS}]+$`);
const INVALID_RUN = new RegExp(`[^${OBJECT_KEY_CHARS}]+`, 'g');

/** S3 caps keys at 1,024 bytes; a file backend caps each folder or file name at 255. */
export const MAX_KEY_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 255;

/**
 * The server's own rule (non-empty, allowed characters only), plus what keeps a key usable as a
 * path on every backend: no empty, `.` or `..` segment, and the byte limits above.
 */
export function isValidObjectKey(key: string): boolean {
  if (!VALID_KEY.test(key) || key.length > MAX_KEY_BYTES) return false;
  return !key.split('/').some((s) => s === '' || s === '.' || s === '..' || s.length > MAX_SEGMENT_BYTES);
}

/** Room left in a segment for a collision suffix (`_` and up to 32 hex digits). */
const SEGMENT_BUDGET = MAX_SEGMENT_BYTES - 40;

/** Throws when a transformation produced a key the server would refuse: a bug, never the user's input. */
export function checkedKey(key: string, from: string): string {
  if (!isValidObjectKey(key))
    throw new Error(`internal: the key ${JSON.stringify(key)} made for ${JSON.stringify(from)} is not valid`);
  return key;
}

// Letters that Unicode does not decompose into a base letter and a mark.
const SPELLED: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  ø: 'o',
  Ø: 'O',
  œ: 'oe',
  Œ: 'OE',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  þ: 'th',
  Þ: 'TH',
  ð: 'd',
  Ð: 'D',
  ı: 'i',
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': "'",
  '\u201d': "'",
  '\u2013': '-',
  '\u2014': '-',
  '\u00a0': ' ',
};

export const shortHash = (text: string, length = 8): string =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/**
 * One path segment as a valid key segment: accents dropped (café -> cafe), a few letters spelled
 * out (ß -> ss), and any other run of refused characters replaced by `_`. A segment that lost
 * characters that way gets a hash of its original text, so 日本語.pdf and 中文.pdf stay apart.
 */
export function keySegment(segment: string): string {
  const nfc = segment.normalize('NFC');
  const spelled = [...nfc].map((ch) => SPELLED[ch] ?? ch).join('');
  const stripped = spelled.normalize('NFD').replace(/\p{M}+/gu, '');
  // A name made only of marks strips to nothing; it still needs a segment of its own.
  const replaced = stripped.replace(INVALID_RUN, '_') || '_';
  const lossy = replaced !== stripped;
  let out = lossy ? withSuffix(replaced, `-${shortHash(nfc)}`) : replaced;
  if (out === '.' || out === '..') out = `_${out}`;
  // Keys are ASCII by now, so characters are bytes; a long name keeps its end (the extension).
  if (out.length > SEGMENT_BUDGET)
    out = `${out.slice(0, 100)}-${shortHash(nfc, 16)}-${out.slice(-(SEGMENT_BUDGET - 118))}`;
  return out;
}

/** `a/b/c` -> the key for it; empty segments are dropped. */
export function objectKeyFor(path: string): string {
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(keySegment);
  let key = segments.join('/');
  // Deep trees of long names: the folders in between fold into one hash, the first folder (an
  // owner's id under owner_folder) and the file name stay.
  if (key.length > MAX_KEY_BYTES - 40 && segments.length > 2) {
    key = [segments[0], shortHash(segments.slice(1, -1).join('/'), 16), segments[segments.length - 1]].join('/');
  }
  return checkedKey(key, path);
}

/** Inserts text before the extension of the last segment: `a/b.pdf` + `_1f` -> `a/b_1f.pdf`. */
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
  const sorted = [...entries].sort(
    (a, b) =>
      cmp(a.key, b.key) || Number(a.key !== a.original) - Number(b.key !== b.original) || cmp(a.source, b.source),
  );
  const taken = new Set<string>();
  const out: T[] = [];
  for (const e of sorted) {
    let key = e.key;
    // `_` and hex digits are allowed key characters; the suffixed key is checked again all the same.
    for (let length = 8; taken.has(key); length += 4) {
      if (length > 32) throw new Error(`internal: no free key for ${e.source}`);
      key = checkedKey(withSuffix(e.key, `_${shortHash(e.source, length)}`), e.source);
    }
    taken.add(key);
    out.push(key === e.key ? e : { ...e, key });
  }
  return out.sort((a, b) => cmp(a.key, b.key));
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
