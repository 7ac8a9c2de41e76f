/** Postgres error fields, as both `pg` and PGlite report them. */
interface PgErrorFields {
  message?: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string | number;
  where?: string;
}

/**
 * Why a step failed, as data: what the CLI prints and `--json` carries. `file`, `line` and
 * `column` point into the generated migration file when Postgres gave a position.
 */
export interface StepFailure {
  /** The step that failed (or the phase check that did not hold). */
  step: string;
  message: string;
  /** SQLSTATE, when Postgres reported the failure; a phase check's name when one did not hold. */
  code: string | null;
  /** 1-based character offset of the error in the step's SQL. */
  position: number | null;
  file: string | null;
  line: number | null;
  column: number | null;
  /** The line of SQL the position points into. */
  text: string | null;
  detail: string | null;
  hint: string | null;
  context: string | null;
}

/** A failure known only by its text (a data runner's message). */
export function textFailure(step: string, message: string): StepFailure {
  return {
    step,
    message,
    code: null,
    position: null,
    file: null,
    line: null,
    column: null,
    text: null,
    detail: null,
    hint: null,
    context: null,
  };
}

/** The fields of a failed statement, located in the file the step came from. */
export function pgFailure(
  err: unknown,
  step: string,
  sql: string,
  file: string | null,
  firstLine: number,
): StepFailure {
  const e = (err ?? {}) as PgErrorFields;
  const position = Number(e.position ?? 0);
  const out: StepFailure = {
    ...textFailure(step, e.message ?? String(err)),
    code: e.code ?? null,
    file,
    line: file ? firstLine : null,
    detail: e.detail ?? null,
    hint: e.hint ?? null,
    context: e.where ? e.where.split('\n')[0] : null,
  };
  if (position <= 0) return out;
  const before = sql.slice(0, position - 1);
  const lineInStep = before.split('\n').length - 1;
  const column = position - 1 - before.lastIndexOf('\n');
  return { ...out, position, line: firstLine + lineInStep, column, text: sql.split('\n')[lineInStep] ?? '' };
}

/**
 * A failure shown the way a person fixes it: the generated file and line, the line of SQL with
 * a caret, and Postgres's code, detail and hint.
 */
export function renderFailure(f: StepFailure): string {
  const where = f.file ?? '(data step)';
  const out: string[] = [];
  if (f.column !== null) {
    out.push(
      `${where}:${f.line}:${f.column}: ${f.message}`,
      `  ${f.text ?? ''}`,
      `  ${' '.repeat(Math.max(0, f.column - 1))}^`,
    );
  } else {
    out.push(`${f.file ? `${where}:${f.line}` : where}: ${f.message}`);
  }
  if (f.code) out.push(`  code: ${f.code}`);
  if (f.detail) out.push(`  detail: ${f.detail}`);
  if (f.hint) out.push(`  hint: ${f.hint}`);
  if (f.context) out.push(`  context: ${f.context}`);
  return out.join('\n');
}

/** The rendered failure of a statement (kept for callers that want only the text). */
export function describePgError(err: unknown, sql: string, file: string | null, firstLine: number): string {
  return renderFailure(pgFailure(err, '', sql, file, firstLine));
}
