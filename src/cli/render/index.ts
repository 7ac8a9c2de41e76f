import type { ApplyResult } from '../../commands/apply';
import type { RollbackResult } from '../../commands/rollback';
import type { StatusResult } from '../../commands/status';
import type { StepResult } from '../../execute';
import type { SchemaDifference, TableParity } from '../../validate';
import { driftLines } from '../../compare/drift';

const pad = (s: string | number, n: number) => String(s).padEnd(n);

export function stepLine(r: StepResult, index: number, total: number): string {
  const width = String(total).length;
  const n = `[${String(index + 1).padStart(width)}/${total}]`;
  return `${n} ${pad(r.status, 8)} ${r.id}${r.ms >= 100 ? ` (${r.ms} ms)` : ''}`;
}

export function applySummary(r: ApplyResult): string[] {
  const verb = r.dryRun ? 'dry run (rolled back)' : 'apply';
  const counts = `${r.dryRun ? `${r.steps.filter((s) => s.status === 'checked').length} checked` : `${r.executed} executed`}, ${r.skipped} skipped, ${r.changed} changed, ${r.failed} failed`;
  const lines = [`${verb}: ${counts}`];
  if (r.evolution) {
    lines.push(
      `evolution ${r.evolution.revision}: ${r.evolution.steps.length} change(s) moved the applied target to this plan`,
    );
    for (const e of r.evolution.steps) {
      lines.push(`  ${pad(e.status, 8)} ${e.summary}`);
      if (r.dryRun && e.sql.trim() !== '')
        lines.push(
          ...e.sql
            .trimEnd()
            .split('\n')
            .map((l) => `      ${l}`),
        );
    }
  }
  if (r.drift.length > 0) lines.push('applied despite drift (--allow-drift):', ...driftLines(r.drift).slice(1));
  if (r.error) lines.push('', r.error);
  return lines;
}

/** A table of applied / pending / changed steps per phase, in plan order; every step with `steps`. */
export function statusLines(s: StatusResult, opts: { steps?: boolean } = {}): string[] {
  const lines = opts.steps
    ? [...s.steps.map((r) => `${pad(r.seq ?? '-', 5)} ${pad(r.state, 8)} ${pad(r.phase, 10)} ${r.id}`), '']
    : [];
  lines.push(...phaseTable(s.steps));
  lines.push(
    '',
    `${s.applied} applied, ${s.pending} pending, ${s.changed} changed${opts.steps ? '' : ' (--steps lists them)'}`,
  );
  if (s.orphaned.length > 0)
    lines.push(
      `${s.orphaned.length} checkpoint(s) on the target are not in the plan: ${s.orphaned.map((o) => o.id).join(', ')}`,
    );
  lines.push(...evolutionLines(s));
  if (s.drift)
    lines.push(
      '',
      ...(s.drift.checked
        ? driftLines(s.drift.items)
        : ['drift: not checked; no apply has finished on this target since drift was recorded']),
    );
  return lines;
}

function phaseTable(steps: StatusResult['steps']): string[] {
  const phases = [...new Set(steps.map((r) => r.phase))];
  const count = (phase: string, state: string) => steps.filter((r) => r.phase === phase && r.state === state).length;
  const row = (cells: (string | number)[]) =>
    `${pad(cells[0], 10)} ${cells
      .slice(1)
      .map((c) => String(c).padStart(8))
      .join(' ')}`.trimEnd();
  return [
    row(['phase', 'applied', 'pending', 'changed']),
    ...phases.map((p) => row([p, count(p, 'applied'), count(p, 'pending'), count(p, 'changed')])),
  ];
}

/** `status --offline`: the committed plan alone, per phase; no target was asked. */
export function offlineStatusLines(
  steps: { id: string; phase: string }[],
  lockProblem: string | null,
  listSteps: boolean,
): string[] {
  const phases = [...new Set(steps.map((r) => r.phase))];
  const lines = listSteps ? [...steps.map((r) => `${pad(r.phase, 10)} ${r.id}`), ''] : [];
  lines.push(
    `${pad('phase', 10)} ${'steps'.padStart(8)}`,
    ...phases.map((p) => `${pad(p, 10)} ${String(steps.filter((r) => r.phase === p).length).padStart(8)}`),
  );
  lines.push(
    '',
    `${steps.length} steps planned; the target was not consulted (--offline): applied and pending need \`supamigrate status\``,
  );
  lines.push(
    lockProblem === null
      ? 'the plan matches its lock: apply will run these files as reviewed'
      : `the plan does not match its lock: ${lockProblem}`,
  );
  return lines;
}

/** The evolution apply would run: these steps depend on the target, so no generated file shows them. */
function evolutionLines(s: StatusResult): string[] {
  const e = s.evolution;
  if (!e || (e.steps.length === 0 && e.blocked.length === 0)) return [];
  const lines = ['', `evolution ${e.revision}: apply will move the applied target to this plan in one transaction:`];
  for (const step of e.steps) {
    lines.push(
      `  ${step.summary}${step.destructive.length > 0 ? `  [destructive: ${step.destructive.join(', ')}]` : ''}`,
    );
    if (step.sql.trim() !== '')
      lines.push(
        ...step.sql
          .trimEnd()
          .split('\n')
          .map((l) => `      ${l}`),
      );
  }
  lines.push('  then the steps of the plan the target lacks (pending and replaced ones), in plan order');
  for (const r of e.refused) lines.push(`  refused: ${r.object} is not in evolution.allow_destructive`);
  for (const b of e.blocked) lines.push(`  blocked: ${b.id}: ${b.reason}`);
  return lines;
}

export function rollbackLines(r: RollbackResult): string[] {
  const lines = [`rollback: ${r.undone.length} step(s) undone, ${r.remaining} checkpoint(s) remain`];
  if (r.error) lines.push('', r.error);
  return lines;
}

export function differenceLines(diffs: SchemaDifference[]): string[] {
  if (diffs.length === 0) return ['schema: source and target match'];
  return [`schema: ${diffs.length} difference(s)`, ...diffs.map((d) => `  ${d.kind}: ${d.object}\n    ${d.detail}`)];
}

export function parityLines(tables: TableParity[]): string[] {
  const bad = tables.filter((t) => !t.ok);
  const rows = tables.reduce((n, t) => n + t.targetRows, 0);
  if (bad.length === 0)
    return [
      `data: ${tables.length} tables, ${rows} rows, checksums match`,
      ...generatedLines(tables),
      comparedAs(tables),
    ];
  return [
    `data: ${bad.length} of ${tables.length} tables differ`,
    ...bad.map(
      (t) =>
        `  ${t.table}: source ${t.sourceRows} rows, target ${t.targetRows} rows; differing key ranges: ${t.differingRanges.join(', ') || '(whole table)'} [as of ${t.asOf}]`,
    ),
    ...generatedLines(tables),
    comparedAs(tables),
  ];
}

/** Generated columns whose values differ: a warning that says why, never a silent match. */
function generatedLines(tables: TableParity[]): string[] {
  return tables.flatMap((t) =>
    (t.generated ?? []).map(
      (g) =>
        `  WARN generated column ${t.table}.${g.column} differs in ${g.differingRanges.length} key range(s) ` +
        `(${g.differingRanges.join(', ')}): the target computed it afresh from the current expression ` +
        `\`${g.expression}\` as the rows loaded, as a pg_dump restore does; the source keeps values ` +
        `computed when its rows were written (the expression or a function it calls changed since)`,
    ),
  );
}

/** Which source the tables were compared with: the copy's held snapshot, or the source now. */
function comparedAs(tables: TableParity[]): string {
  const held = tables.filter((t) => t.asOf === 'snapshot').length;
  const now = tables.length - held;
  const parts = [
    ...(held ? [`${held} as of the copy's snapshot`] : []),
    ...(now ? [`${now} as of now (a match needs writes to the source stopped)`] : []),
  ];
  return `  compared: ${parts.join('; ') || 'no tables'}`;
}
