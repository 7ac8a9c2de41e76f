import type { ClassifiedLint } from '../../validate/lint-origin';
import { failingLints } from '../../validate/lint-origin';
import type { MatrixCell, SecurityMatrix } from '../../validate/security';

const MARK = (c: MatrixCell): string =>
  (c.actual === null ? '?' : c.actual ? 'y' : '-') + (c.actual === c.expected ? ' ' : '!');

/** The matrix as text: one line per table and actor, `y` allowed, `-` denied, `!` differs from the spec. */
export function securityMatrixLines(m: SecurityMatrix): string[] {
  const lines = ['table                          actor         select insert update delete'];
  const key = (c: MatrixCell) => `${c.table}\t${c.actor}`;
  const rows = new Map<string, MatrixCell[]>();
  for (const c of m.cells) rows.set(key(c), [...(rows.get(key(c)) ?? []), c]);
  for (const [k, cells] of rows) {
    const [table, actor] = k.split('\t');
    lines.push(`${table.padEnd(30)} ${actor.padEnd(13)} ${cells.map((c) => MARK(c).padEnd(6)).join(' ')}`.trimEnd());
  }
  for (const c of m.cells.filter((c) => c.actual !== c.expected)) {
    lines.push(
      `differs: ${c.table} ${c.actor} ${c.operation}: spec ${c.expected ? 'allows' : 'denies'}, target ${c.actual === null ? 'fails' : c.actual ? 'allows' : 'denies'}${c.error ? ` (${c.error})` : ''}`,
    );
  }
  for (const u of m.unprobed) lines.push(`not probed: ${u.table}: ${u.reason}`);
  const differing = m.cells.filter((c) => c.actual !== c.expected).length;
  lines.push(
    differing === 0
      ? `security matrix: ${m.cells.length} cells, all as the spec says`
      : `security matrix: ${differing} of ${m.cells.length} cells differ from the spec`,
  );
  lines.push(...classifiedLintLines(m.lints));
  const caused = failingLints(m.lints).length;
  const carried = m.lints.filter((l) => l.level !== 'INFO' && l.origin === 'source').length;
  lines.push(
    caused === 0
      ? `lints: no ERROR or WARN caused by the plan (${carried} carried from the source)`
      : `lints: ${caused} at ERROR or WARN caused by the plan (${carried} carried from the source)`,
  );
  return lines;
}

const ORIGIN: Record<ClassifiedLint['origin'], string> = {
  plan: 'caused by the plan',
  source: 'carried from the source',
  opened: 'opened by the spec or the source policies',
};

/** One line per finding, most severe first, with where it comes from and, unless opened on purpose, the fix. */
export function classifiedLintLines(lints: ClassifiedLint[]): string[] {
  const rank = { ERROR: 0, WARN: 1, INFO: 2 };
  return [...lints]
    .sort(
      (a, b) =>
        rank[a.level] - rank[b.level] || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.object < b.object ? -1 : 1),
    )
    .map(
      (f) =>
        `${f.level.padEnd(5)} ${f.name}: ${f.object} ${f.detail} [${ORIGIN[f.origin]}${f.origin === 'opened' || f.level === 'INFO' ? '' : `; fix: ${f.fix}`}]`,
    );
}
