/**
 * The few layout rules of the formatter Supabase's generator runs (80 columns, no semicolons):
 * a group prints on one line when it fits and breaks one member per line when it does not.
 * Helpers return lines relative to their own indentation; `at` is the column they will start
 * at in the file, which only decides whether a group fits.
 */
export const WIDTH = 80;

/**
 * Property keys lose their quotes when they are ES5 identifier names, as the formatter decides:
 * letters of any script (postgrest's schema `تست`), then letters, combining marks, digits and
 * connector punctuation; characters beyond the Basic Multilingual Plane keep the quotes.
 */
const ES5_IDENTIFIER = /^[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$\u200C\u200D]*$/u;

export function key(name: string): string {
  return ES5_IDENTIFIER.test(name) && !/[\u{10000}-\u{10FFFF}]/u.test(name) ? name : str(name);
}

/**
 * A string literal as the formatter leaves it: double quotes, unless the text holds more
 * double quotes than single ones, in which case single quotes need fewer escapes.
 */
export function str(text: string): string {
  const json = JSON.stringify(text);
  if (!text.includes('"')) return json; // no double quote: double quotes never need more escapes
  const raw = json.slice(1, -1);
  const count = (q: string) => raw.split(q).length - 1;
  if (count('"') <= count("'")) return json;
  return `'${raw.replace(/\\(.)|'/gs, (m: string, escaped: string | undefined) => (escaped === '"' ? '"' : escaped !== undefined ? m : "\\'"))}'`;
}

const fits = (at: number, text: string): boolean => at + text.length <= WIDTH;

/** `head[a, b]tail` on one line, or one item a line with trailing commas. */
export function array(at: number, head: string, items: string[], tail = ''): string[] {
  const flat = `${head}[${items.join(', ')}]${tail}`;
  if (items.length === 0 || fits(at, flat)) return [flat];
  return [`${head}[`, ...items.map((i) => `  ${i},`), `]${tail}`];
}

/** `head{ a; b }` on one line, or one member a line. */
export function typeLiteral(at: number, head: string, members: string[], tail = ''): string[] {
  const flat = `${head}{ ${members.join('; ')} }${tail}`;
  if (members.length > 0 && fits(at, flat)) return [flat];
  return expanded(
    head,
    members.map((m) => [m]),
    tail,
  );
}

/** An object kept broken; members are laid-out lines relative to the member column. */
export function expanded(head: string, members: string[][], tail = ''): string[] {
  if (members.length === 0) return [`${head}{}${tail}`];
  // A loop rather than flatMap and map: the types of a large schema are laid out line by line here.
  const out = [`${head}{`];
  for (const lines of members) for (const line of lines) out.push(`  ${line}`);
  out.push(`}${tail}`);
  return out;
}

/** `head a | b` on one line, or a leading-bar list when it does not fit. */
export function union(at: number, head: string, members: string[]): string[] {
  const flat = `${head} ${members.join(' | ')}`;
  if (fits(at, flat)) return [flat];
  return [head, ...members.map((m) => `  | ${m}`)];
}

export function fitsOnLine(at: number, text: string): boolean {
  return fits(at, text);
}
