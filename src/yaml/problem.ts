import { UserError } from '../errors';

/** A key path inside the spec: object keys and list indices, outermost first. */
export type KeyPath = ReadonlyArray<string | number>;

/** One thing wrong with a spec, before it is placed at a line and column. */
export interface SpecProblem {
  path: KeyPath;
  message: string;
  fix: string;
  /** Point at the key itself (unknown keys) rather than its value. */
  onKey?: boolean;
  /** A position already known (YAML syntax errors); 1-based. */
  at?: { line: number; col: number };
}

export interface PlacedProblem {
  line: number;
  col: number;
  path: string;
  message: string;
  fix: string;
}

/** A spec that cannot be used; carries every problem so callers can render them their own way. */
export class SpecError extends UserError {
  constructor(
    readonly fileLabel: string,
    readonly problems: readonly PlacedProblem[],
  ) {
    super(problems.map((p) => renderProblem(fileLabel, p)).join('\n'));
    this.name = 'SpecError';
  }
}

function renderProblem(fileLabel: string, p: PlacedProblem): string {
  const where = `${fileLabel}:${p.line}:${p.col}`;
  const head = p.path ? `${where} ${p.path}: ${p.message}` : `${where}: ${p.message}`;
  return `${head}\n  fix: ${p.fix}`;
}

/** `data.tables.public.users.mode`, `schema.include_schemas[1]`. */
export function formatPath(path: KeyPath): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${part}` : part;
  }, '');
}

export function sortProblems(problems: PlacedProblem[]): PlacedProblem[] {
  return [...problems].sort(
    (a, b) => a.line - b.line || a.col - b.col || a.path.localeCompare(b.path) || a.message.localeCompare(b.message),
  );
}
