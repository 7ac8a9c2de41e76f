import { Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type { KeyPath, SpecProblem } from './problem';

/** A parsed migration.yaml that can still tell where each value was written. */
export interface SpecDocument {
  doc: Document;
  lines: LineCounter;
}

const syntaxFixes: Record<string, string> = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  MISSING_CHAR: 'close the quote or bracket opened here (or drop the opening one)',
  DUPLICATE_KEY: 'keep only one of the keys with this name in this mapping',
  BAD_INDENT: 'line up the keys of one mapping at the same column, using spaces',
  MULTIPLE_DOCS: 'keep a single YAML document (remove the extra ---)',
};

/** Parses YAML text, or returns its syntax errors with their positions. */
export function readYaml(text: string): { document: SpecDocument } | { problems: SpecProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length === 0) return { document: { doc, lines } };
  const problems = doc.errors.map((error) => {
    const start =
      error.code === 'MISSING_CHAR' ? openingQuote(text, error.message, error.pos[0], lines) : error.linePos?.[0];
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const fix = lineAt(text, error.pos[0]).includes('${')
      ? 'inside { } or [ ], put ${...} in quotes: key: "${VAR:-default}" (or write the mapping as indented lines)'
      : (syntaxFixes[error.code] ??
        'correct the YAML syntax here; quote values that contain ": " or start with {, [, *, & or #');
    return { path: [], message: `YAML: ${lowerFirst(message)}`, fix, at: start ?? { line: 1, col: 1 } };
  });
  return { problems };
}

/** yaml reports an unclosed quote where the file ends; the person needs the quote that opened it. */
function openingQuote(
  text: string,
  message: string,
  end: number,
  lines: LineCounter,
): { line: number; col: number } | undefined {
  const quote = /closing (["'])/.exec(message)?.[1];
  const opening = quote ? text.lastIndexOf(quote, end - 1) : -1;
  return opening >= 0 ? lines.linePos(opening) : undefined;
}

function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end < 0 ? text.length : end);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Line and column (1-based) of the value at `path`, or of its nearest written ancestor. */
export function locate(source: SpecDocument, path: KeyPath, onKey = false): { line: number; col: number } {
  let node: unknown = source.doc.contents;
  let anchor: Node | null = isNodeWithRange(node) ? (node as Node) : null;
  for (const [index, part] of path.entries()) {
    const last = index === path.length - 1;
    const pair = isMap(node)
      ? (node.items.find((item) => keyText(item) === String(part)) as Pair | undefined)
      : undefined;
    const item = isSeq(node) && typeof part === 'number' ? node.items[part] : undefined;
    if (pair) {
      // A value that is written points at itself; a missing child points at its parent's key.
      const showKey = (last && onKey) || !last || !isNodeWithRange(pair.value);
      anchor = showKey ? (pair.key as Node) : (pair.value as Node);
      node = pair.value;
    } else if (isNodeWithRange(item)) {
      anchor = item as Node;
      node = item;
    } else break;
  }
  return source.lines.linePos(anchor?.range?.[0] ?? 0);
}

function keyText(item: unknown): string | undefined {
  if (!isPair(item) || !isScalar(item.key)) return undefined;
  return String(item.key.value);
}

function isNodeWithRange(value: unknown): boolean {
  return (isMap(value) || isSeq(value) || isScalar(value)) && Array.isArray(value.range);
}
