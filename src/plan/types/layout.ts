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
export function typeLiteral(at: number, head: string, members: string[], tail = ''): Line[] {
  const flat = `${head}{ ${members.join('; ')} }${tail}`;
  if (members.length > 0 && fits(at, flat)) return [flat];
  return expanded(
    head,
    members.map((m) => [m]),
    tail,
  );
}

/**
 * A laid-out line, or a run of lines set `levels` deeper (two spaces a level). Blocks nest their
 * members as runs and the file is indented once, when printed: re-prefixing every line at every
 * enclosing level cost a large schema's types a string per line and level.
 */
export type Line = string | Indented;
export interface Indented {
  readonly levels: number;
  readonly lines: readonly Line[];
}

export const indented = (lines: readonly Line[], levels = 1): Indented => ({ levels, lines });

/** An object kept broken; members are laid-out lines relative to the member column. */
export function expanded(head: string, members: (readonly Line[])[], tail = ''): Line[] {
  if (members.length === 0) return [`${head}{}${tail}`];
  const lines: Line[] = [];
  for (const member of members) for (const line of member) lines.push(line);
  return [`${head}{`, indented(lines), `}${tail}`];
}

/** The text of a block's first (or last) line, which is always a string: a head, or a closing bracket. */
function textAt(lines: readonly Line[], at: number): string {
  const line = lines[at];
  if (typeof line !== 'string') throw new Error('internal: a block opens and closes with a line of text');
  return line;
}

/** The lines with the first one changed by `first` and the last one by `last` (one line: both). */
export function retouched(
  lines: readonly Line[],
  first: (text: string) => string,
  last: (text: string) => string = (t) => t,
): Line[] {
  const out = [...lines];
  out[0] = first(textAt(out, 0));
  out[out.length - 1] = last(textAt(out, out.length - 1));
  return out;
}

/** The lines as text, each indented by its depth, joined by newlines. */
export function printLines(lines: readonly Line[]): string {
  const out: string[] = [];
  const pads = [''];
  const walk = (run: readonly Line[], depth: number): void => {
    for (const line of run) {
      if (typeof line === 'string') out.push(pads[depth] + line);
      else {
        const inner = depth + line.levels;
        for (let d = pads.length; d <= inner; d++) pads.push(pads[d - 1] + '  ');
        walk(line.lines, inner);
      }
    }
  };
  walk(lines, 0);
  return out.join('\n');
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
