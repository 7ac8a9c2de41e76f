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
 * A failed statement shown the way a person fixes it: the generated file and line, the line of
 * SQL with a caret, and Postgres's code, detail and hint.
 */
export function describePgError(err: unknown, sql: string, file: string | null, firstLine: number): string {
  const e = (err ?? {}) as PgErrorFields;
  const out: string[] = [];
  const position = Number(e.position ?? 0);
  let where = file ?? '(data step)';
  if (position > 0) {
    const before = sql.slice(0, position - 1);
    const lineInStep = before.split('\n').length - 1;
    const column = position - 1 - before.lastIndexOf('\n');
    where = `${where}:${firstLine + lineInStep}:${column}`;
    const text = sql.split('\n')[lineInStep] ?? '';
    out.push(`${where}: ${e.message ?? String(err)}`, `  ${text}`, `  ${' '.repeat(Math.max(0, column - 1))}^`);
  } else {
    out.push(`${file ? `${where}:${firstLine}` : where}: ${e.message ?? String(err)}`);
  }
  if (e.code) out.push(`  code: ${e.code}`);
  if (e.detail) out.push(`  detail: ${e.detail}`);
  if (e.hint) out.push(`  hint: ${e.hint}`);
  if (e.where) out.push(`  context: ${e.where.split('\n')[0]}`);
  return out.join('\n');
}
